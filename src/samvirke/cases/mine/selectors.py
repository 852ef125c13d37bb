"""A citizen's own cases, as My cases (Mine saker) shows them: the status and timeline in
plain language and the documents the applicant may read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samvirke.accounts.models import Membership
from samvirke.cases.core.selectors import workflow_of
from samvirke.cases.documents.selectors import case_documents
from samvirke.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
    Document,
    EntryType,
    MessageDirection,
    Outcome,
    Phase,
    ScanStatus,
    translated_text,
)


def cases_for_citizen(user) -> QuerySet[Case]:
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(applicant=user)


def case_for_citizen(user, pk) -> Case:
    return get_object_or_404(cases_for_citizen(user), pk=pk)


def citizen_cases(user) -> QuerySet[Case]:
    """The citizen's own cases as My cases lists and opens them (newest first), with what
    the pages show of each loaded."""
    return (
        cases_for_citizen(user)
        .select_related(
            "organisation", "handling_organisation", "handling_unit", "case_type", "offering"
        )
        .order_by("-opened_at", "-id")
    )


def citizen_unread_message_ids(case: Case) -> set[int]:
    """The ids of the municipality's messages in the case that the applicant has not read
    yet. The caller has reached the case through `citizen_cases`."""
    return set(
        case.messages.filter(
            direction=MessageDirection.TO_APPLICANT, read_at__isnull=True
        ).values_list("pk", flat=True)
    )


def citizen_messages(case: Case) -> list[CaseMessage]:
    """Every message of the case, both ways, oldest first, with its author."""
    return list(case.messages.select_related("author").order_by("created_at"))


# Journal entry types whose documents the applicant may read: what came in and what went
# out. Internal notes (N, X) stay internal.
APPLICANT_ENTRY_TYPES = (EntryType.INCOMING, EntryType.OUTGOING)


def citizen_status_text(case: Case, language: str | None = None) -> str:
    """The status as the applicant sees it: the municipality's own text for the status
    (the offering's `status_texts`) if it has one, else the workflow's `citizen_label`,
    else its label."""
    offering = case.offering
    if offering is not None and offering.status_texts:
        text = translated_text(offering.status_texts.get(case.status), language)
        if text:
            return text
    workflow = workflow_of(case.case_type)
    if case.status not in workflow.statuses:
        return case.status
    return workflow.status(case.status).text(language, for_citizen=True)


def citizen_phase(case: Case) -> str:
    workflow = workflow_of(case.case_type)
    return workflow.phase(case.status) if case.status in workflow.statuses else Phase.OPEN


@dataclass(frozen=True)
class TimelineItem:
    at: datetime.datetime
    text: str


def _event_text(event: CaseEvent, case: Case) -> str:
    data = event.data or {}
    if event.kind == "opened":
        return _("We received your case. It is handled by %(unit)s.") % {
            "unit": data.get("unit") or case.handling_unit.name
        }
    if event.kind == "status":
        workflow = workflow_of(case.case_type)
        to_status = data.get("to", "")
        if to_status in workflow.statuses:
            label = _status_text_for(case, to_status)
            return _("The status changed to “%(status)s”.") % {"status": label}
        return _("The status of your case changed.")
    if event.kind == "message_in" or (
        event.kind == "message" and data.get("direction") == MessageDirection.FROM_APPLICANT
    ):
        return _("You sent a message to the case handler.")
    if event.kind == "message":
        if data.get("requests_information"):
            return _("The case handler asked you for more information.")
        return _("The case handler sent you a message.")
    if event.kind == "decided":
        outcome = data.get("outcome")
        if outcome in Outcome.values:
            return _("A decision was made in your case: %(outcome)s.") % {
                "outcome": Outcome(outcome).label
            }
        return _("A decision was made in your case.")
    if event.kind in ("closed", "close"):
        return _("Your case was closed.")
    if event.kind == "submitted":
        return _("You submitted the form.")
    if event.kind in ("neighbour_notice", "neighbours_notified"):
        return _("Your neighbours were notified.")
    return _("Your case was updated.")


def _status_text_for(case: Case, status: str) -> str:
    offering = case.offering
    if offering is not None and offering.status_texts:
        text = translated_text(offering.status_texts.get(status))
        if text:
            return text
    return workflow_of(case.case_type).status(status).text(for_citizen=True)


def citizen_timeline(case: Case) -> list[TimelineItem]:
    """The case's events that are meant for the applicant, in plain language, oldest
    first."""
    events = case.events.filter(visible_to_applicant=True).order_by("at", "id")
    return [TimelineItem(at=e.at, text=_event_text(e, case)) for e in events]


def citizen_documents(case: Case) -> QuerySet[Document]:
    """Documents of the case the applicant may read: their submitted form, receipt,
    attachments and the municipality's letters (the decision letter among them). Not
    documents of internal notes, and not files a virus scanner found infected."""
    return (
        case_documents(case)
        .filter(
            Q(journal_entry__isnull=True) | Q(journal_entry__entry_type__in=APPLICANT_ENTRY_TYPES)
        )
        .exclude(scan_status=ScanStatus.INFECTED)
        .select_related("journal_entry")
    )


def handler_recipients(case: Case) -> list[str]:
    """Who hears about the reply: the case handler, else the handling unit's address,
    else the unit's staff."""
    if case.assignee is not None and case.assignee.email:
        return [case.assignee.email]
    unit = case.handling_unit
    if unit.email:
        return [unit.email]
    return sorted(
        {
            m.user.email
            for m in Membership.objects.filter(units=unit, user__is_active=True).select_related(
                "user"
            )
            if m.user.email
        }
    )


def back_office_case_url(case: Case) -> str:
    """The back-office page of the case. The handling part owns that page; its address
    is /admin/cases/<id>/."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}/admin/cases/{case.pk}/"
