"""Serializer fields shared by the API's input serializers."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Ids are 64-bit: larger numbers are "not found", not a database overflow.
MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """An object referred to by id, looked up through a selector, so that an input can
    only name what the acting user may see (anything else is `does_not_exist`)."""

    default_error_messages = {
        "does_not_exist": _("No such object, or it is outside your reach."),
        "incorrect_type": _("Give the object's id as a number."),
    }

    def __init__(self, *, scope: Callable[[object], QuerySet], **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None))

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            number = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if str(number) != str(data).strip() and not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if number < 1 or number > MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)


def id_query_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)
