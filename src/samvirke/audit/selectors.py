"""Reading audit events: administrators see their own organisation's events; a regional
coordinator sees the whole region's."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from samvirke.accounts import access
from samvirke.accounts.models import Role
from samvirke.audit.models import AuditEvent


def audit_event_list(
    *,
    user,
    organisation_id: int | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_query: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "acting_for")
    if not access.is_regional_coordinator(user):
        admin_orgs = {
            g.organisation_id
            for g in access.grants_for(user)
            if g.role == Role.ADMINISTRATOR and g.via_arrangement_id is None
        }
        if not admin_orgs:
            return events.none()
        events = events.filter(acting_for_id__in=admin_orgs)
    if organisation_id:
        events = events.filter(acting_for_id=organisation_id)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor_query:
        events = events.filter(Q(actor_label__icontains=actor_query))
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events.order_by("-occurred_at", "-id")


def audit_event_get(*, user, event_id: int) -> AuditEvent:
    """Raises AuditEvent.DoesNotExist for events outside the user's reach (a 404)."""
    return audit_event_list(user=user).get(pk=event_id)


def audit_history_for(*, obj) -> QuerySet[AuditEvent]:
    """The change history of one object, for screens that already checked access to it."""
    return (
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


def audit_object_types() -> list[str]:
    """The kinds of object the log holds events about (model labels such as
    "organisations.cooperationarrangement"), for the search form."""
    return list(
        AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )
