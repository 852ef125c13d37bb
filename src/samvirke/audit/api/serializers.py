"""Audit events as the API shows them to administrators and regional coordinators."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from samvirke.api.fields import id_query_field
from samvirke.audit.models import AuditAction


class AuditActingForSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    action = serializers.ChoiceField(choices=AuditAction.choices, read_only=True)
    actor_id = serializers.IntegerField(read_only=True, allow_null=True)
    actor = serializers.CharField(source="actor_label", read_only=True)
    acting_for = AuditActingForSerializer(read_only=True, allow_null=True)
    object_type = serializers.CharField(read_only=True)
    object_id = serializers.CharField(read_only=True)
    object_label = serializers.CharField(read_only=True)
    changes = serializers.JSONField(
        read_only=True, help_text=_("Field name to [before, after]; personal data is masked.")
    )
    details = serializers.JSONField(read_only=True)
    client_address = serializers.IPAddressField(read_only=True, allow_null=True)
    request_id = serializers.CharField(read_only=True)


class AuditEventFilterSerializer(serializers.Serializer):
    organisation = id_query_field(
        required=False, help_text=_("Events acting for this organisation.")
    )
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    object_type = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("For example organisations.cooperationarrangement."),
    )
    object_id = serializers.CharField(required=False, max_length=64)
    actor = serializers.CharField(
        required=False, max_length=200, help_text=_("Part of the actor's name.")
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
