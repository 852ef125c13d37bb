from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from samvirke.accounts.models import Role, UserKind
from samvirke.organisations.api.serializers import (
    AreaRefSerializer,
    OrganisationRefSerializer,
    UnitRefSerializer,
)


class MeUserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    kind = serializers.ChoiceField(choices=UserKind.choices, read_only=True)


class MeTokenSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    prefix = serializers.CharField(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True, allow_null=True)


class MyOrganisationSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer(read_only=True)
    roles = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Role codes held in the organisation: %s.") % ", ".join(Role.values),
    )
    title = serializers.CharField(read_only=True)
    units = UnitRefSerializer(many=True, read_only=True)


class MyArrangementRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class MyGrantSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer(
        read_only=True, help_text=_("The organisation you act for through the arrangement.")
    )
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    area = AreaRefSerializer(read_only=True)
    arrangement = MyArrangementRefSerializer(read_only=True)


class MeSerializer(serializers.Serializer):
    user = MeUserSerializer(read_only=True)
    token = MeTokenSerializer(
        read_only=True, allow_null=True, help_text=_("The API token in use, if any.")
    )
    organisations = MyOrganisationSerializer(many=True, read_only=True)
    arrangement_grants = MyGrantSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Organisations you act for in one area of work, through an arrangement "
            "whose host unit you work in."
        ),
    )
