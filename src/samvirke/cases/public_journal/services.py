"""Access requests (innsynskrav) from the public journal: anyone may ask the owning
municipality for access to a journal entry's documents (offentleglova § 3), without
saying who they are or why (§ 28: the request must only identify the documents).

A request becomes a case in the owning municipality, opened on that municipality's
offering of the regional "innsyn" form and routed by its routing rules, with an incoming
journal entry that holds the request as a PDF/A document and the requester's message.
There is no Submission: the public journal's small form stands in for the full e-service.
The requester gets an e-mail receipt with the case reference only, and the handling unit
a notice with a link only.

Idempotent: the form carries a key, and a second post with the same key (a double click,
a retry) returns the first case."""

from __future__ import annotations

import uuid
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases import signals
from samvirke.cases.core.selectors import NoRoute, Route, route_for
from samvirke.cases.core.services import case_open
from samvirke.cases.documents.services import document_store, render_pdfa
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.mine.selectors import back_office_case_url, handler_recipients
from samvirke.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
    DocumentKind,
    EntryType,
    JournalEntry,
    MessageDirection,
    ServiceOffering,
)
from samvirke.notifications.services import notification_send

ACCESS_FORM_SLUG = "innsyn"
EVENT_KIND = "access_request"


class NoAccessRequestService(ValidationError):
    """The municipality does not take access requests here: no active offering of the
    innsyn form, or no unit set up to handle it."""


def access_offering_for(organisation) -> ServiceOffering | None:
    """The municipality's switched-on offering of the regional access-request form."""
    return (
        ServiceOffering.objects.filter(
            organisation=organisation, form__slug=ACCESS_FORM_SLUG, is_active=True
        )
        .select_related("form", "case_type", "organisation", "responsible_unit")
        .first()
    )


def access_route_for(organisation) -> tuple[ServiceOffering, Route]:
    offering = access_offering_for(organisation)
    if offering is None:
        raise NoAccessRequestService(
            _("This municipality does not take access requests online."),
            code=CasesErrorCode.NO_OFFERING,
        )
    try:
        return offering, route_for(offering, {"request_type": "documents"})
    except NoRoute as error:
        raise NoAccessRequestService(error.messages[0], code=CasesErrorCode.NO_ROUTE) from error


def access_request_for_key(key: uuid.UUID) -> Case | None:
    """The case an earlier post with this key filed, if any."""
    event = (
        CaseEvent.objects.filter(kind=EVENT_KIND, data__key=str(key))
        .select_related("case__organisation")
        .first()
    )
    return event.case if event is not None else None


def access_request_file(
    *,
    entry: JournalEntry,
    email: str,
    name: str = "",
    message: str = "",
    key: uuid.UUID,
    actor=None,
    language: str = "nb",
) -> Case:
    """Files an access request for the journal entry's documents in the entry's owning
    municipality and returns the case. Raises NoAccessRequestService when the
    municipality takes none online."""
    email, name, message = email.strip(), name.strip(), message.strip()
    if not email:
        raise ValidationError(
            _("Enter the e-mail address the answer should go to."), code=CasesErrorCode.REQUIRED
        )
    organisation = entry.organisation
    offering, route = access_route_for(organisation)
    citizen = actor if actor is not None and getattr(actor, "is_citizen", False) else None
    with transaction.atomic():
        # Lock the requested entry: two posts with the same key are filed one at a time,
        # and the second finds the first's case.
        JournalEntry.objects.select_for_update().filter(pk=entry.pk).first()
        earlier = access_request_for_key(key)
        if earlier is not None:
            return earlier
        # Journal titles are records in the municipality's language, not the visitor's.
        title = f"Innsynskrav – {entry.reference}"
        case = case_open(
            offering=offering,
            route=route,
            title=title,
            applicant=citizen,
            applicant_name=name,
            applicant_email=email,
            actor=actor,
        )
        CaseEvent.objects.create(
            case=case,
            kind=EVENT_KIND,
            actor=citizen,
            data={"key": str(key), "entry": entry.pk, "entry_reference": entry.reference},
            visible_to_applicant=False,
        )
        content = render_pdfa(
            "cases/journal/access_request_pdf.html",
            {
                "organisation": organisation,
                "case": case,
                "entry": entry,
                "requester_name": name,
                "email": email,
                "message": message,
            },
            language="nb",
        )
        document = document_store(
            organisation=organisation,
            name=f"innsynskrav-{case.year}-{case.sequence:05d}.pdf",
            content=content,
            content_type="application/pdf",
            kind=DocumentKind.SUBMISSION,
            is_pdfa=True,
            uploaded_by=citizen,
            case=case,
        )
        incoming = journal_entry_create(
            case=case,
            entry_type=EntryType.INCOMING,
            title=title,
            parties=[{"role": "sender", "name": name, "kind": "person"}] if name else [],
            documents=[document],
            actor=actor,
        )
        body = f"Krav om innsyn i dokument {entry.reference} ({organisation.name})."
        CaseMessage.objects.create(
            case=case,
            direction=MessageDirection.FROM_APPLICANT,
            body=f"{body}\n\n{message}" if message else body,
            author=citizen,
            journal_entry=incoming,
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=case,
            actor=actor,
            object_label=case.reference,
            details={"access_request_for": entry.reference, "anonymous": not name},
        )
        _send_receipt(case, email, entry.reference, language)
        _notify_unit(case)
        transaction.on_commit(
            partial(signals.submission_received.send, sender=Case, submission=None, case=case)
        )
    return case


def _send_receipt(case: Case, email: str, entry_reference: str, language: str) -> None:
    """The requester's receipt: the municipality, the case reference and what happens
    next, with no personal content."""
    context = {
        "case": case,
        "reference": case.reference,
        "entry_reference": entry_reference,
        "organisation": case.organisation,
    }
    with translation.override(language):
        subject = render_to_string("cases/email/access_receipt_subject.txt", context)
        body = render_to_string("cases/email/access_receipt_body.txt", context)
    notification_send(
        to=email,
        subject=subject,
        body=body,
        purpose="cases.access_receipt",
        reference=str(case.pk),
    )


def _notify_unit(case: Case) -> None:
    recipients = handler_recipients(case)
    if not recipients:
        return
    link = back_office_case_url(case)
    context = {"reference": case.reference, "link": link}
    with translation.override("nb"):
        subject = render_to_string("cases/email/access_notice_subject.txt", context)
        body = render_to_string("cases/email/access_notice_body.txt", context)
    notification_send(
        to=recipients,
        subject=subject,
        body=body,
        link=link,
        purpose="cases.access_notice",
        reference=str(case.pk),
    )


def access_contact_text(organisation) -> str:
    """How to ask for access when the municipality takes no requests online."""
    parts = []
    if organisation.email:
        parts.append(_("by e-mail to %(email)s") % {"email": organisation.email})
    if organisation.phone:
        parts.append(_("by phone on %(phone)s") % {"phone": organisation.phone})
    if not parts:
        return _("Contact %(municipality)s's service centre to ask for access.") % {
            "municipality": organisation.name
        }
    return _("Ask %(municipality)s for access %(ways)s.") % {
        "municipality": organisation.name,
        "ways": _(" or ").join(parts),
    }
