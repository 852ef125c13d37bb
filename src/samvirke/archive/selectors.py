"""Reading what goes into an archive export.

These are system reads, not a staff user's: the export is run by the operator for one
municipality's archive (its arkivskaper) and holds all of that municipality's closed
cases, whoever handled them. They are therefore not scoped by a user; the management
command is the only caller, and every export is written to the audit log."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from samvirke.audit.models import AuditEvent
from samvirke.cases.models import Case, Document, JournalEntry
from samvirke.organisations.models import Organisation, OrganisationKind


def municipality_by_number(number: str) -> Organisation | None:
    """The municipality with this municipality number (kommunenummer), or None."""
    return (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, number=number)
        .select_related("region")
        .first()
    )


def period_bounds(
    date_from: datetime.date, date_to: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as [start, end) in the installation's time zone: both days included."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def closed_cases_for_export(
    *, organisation: Organisation, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Case]:
    """The municipality's cases closed in the period (both days included), oldest case
    number first, with what the export needs of them loaded."""
    start, end = period_bounds(date_from, date_to)
    documents = Document.objects.select_related("uploaded_by").order_by("created_at", "id")
    entries = (
        JournalEntry.objects.select_related("created_by")
        .prefetch_related(Prefetch("documents", queryset=documents))
        .order_by("number_in_case")
    )
    return (
        Case.objects.filter(organisation=organisation, closed_at__gte=start, closed_at__lt=end)
        .select_related("case_type", "handling_unit", "area", "assignee", "organisation")
        .prefetch_related(Prefetch("journal_entries", queryset=entries))
        .order_by("year", "sequence")
    )


def audit_events_for(*, object_type: str, ids: list[int], chunk: int = 500) -> list[AuditEvent]:
    """Audit events about the given objects of one type ("cases.case"), oldest first.
    Asked in chunks, so a large export stays under the database's parameter limits."""
    keys = [str(i) for i in ids]
    events: list[AuditEvent] = []
    for offset in range(0, len(keys), chunk):
        events += AuditEvent.objects.filter(
            Q(object_type=object_type) & Q(object_id__in=keys[offset : offset + chunk])
        )
    return sorted(events, key=lambda e: (e.occurred_at, e.pk))
