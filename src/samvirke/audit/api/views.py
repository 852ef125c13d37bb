"""API v1 views for the audit log: administrators see their own organisation's events,
a regional coordinator the whole region's."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema

from samvirke.api.views import ApiView
from samvirke.audit import selectors
from samvirke.audit.api.serializers import AuditEventFilterSerializer, AuditEventSerializer


class AuditEventListView(ApiView):
    @extend_schema(
        operation_id="audit_events_list",
        tags=["audit"],
        summary=_("Audit events (administrators: own organisation; regional coordinators: all)"),
        parameters=[AuditEventFilterSerializer],
        responses=AuditEventSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("audit.view_auditevent"):
            raise PermissionDenied(_("Only administrators may read the audit log."))
        filters = self.parse_query(AuditEventFilterSerializer)
        events = selectors.audit_event_list(
            user=request.user,
            organisation_id=filters.get("organisation"),
            action=filters.get("action"),
            object_type=filters.get("object_type"),
            object_id=filters.get("object_id"),
            actor_query=filters.get("actor"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
        return self.paginated(events, AuditEventSerializer)


class AuditEventDetailView(ApiView):
    @extend_schema(
        operation_id="audit_events_retrieve", tags=["audit"], responses=AuditEventSerializer
    )
    def get(self, request, event_id: int, *args, **kwargs):
        # an event outside the user's reach is a 404, whoever asks
        event = selectors.audit_event_get(user=request.user, event_id=event_id)
        return self.output(event, AuditEventSerializer)
