"""What a citizen does and reads in My cases (Mine saker): the case as the applicant sees
it, replying to the case handler with attachments, and reading the municipality's messages.

Writes (`applicant_reply`, `case_messages_mark_read`, `reply_attachment_store`) run in
one transaction with their journal entry, timeline event and audit event; signals and
e-mails go out after the commit. The reads in `mine.selectors` (`citizen_status_text`,
`citizen_timeline`, `citizen_documents`) are the applicant's view: no internal notes, no
internal journal entries, nothing from another citizen's case (`case_for_citizen` answers
404).

A reply to a case that waits for the applicant (a status with phase "paused") moves it
back to the open status its workflow allows; the core's `case_status_move` then moves
the deadline on by the days the case was paused."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases import signals
from samvirke.cases.core.selectors import workflow_of
from samvirke.cases.core.services import case_status_move
from samvirke.cases.documents.services import document_store, upload_check, upload_refusal_audit
from samvirke.cases.documents.uploads import CheckedUpload, UploadRefused
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.journal.titles import protected_words
from samvirke.cases.mine.selectors import back_office_case_url, handler_recipients
from samvirke.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
    Document,
    DocumentKind,
    EntryType,
    MessageDirection,
    Phase,
)
from samvirke.notifications.services import notification_send

# --- Reading: the case as the applicant sees it ---------------------------------------


def citizen_document_read(*, case: Case, document: Document, actor) -> None:
    """A citizen downloading a document of their own case: the document may hold
    personal data, so the read is audited (opening the case page itself is not)."""
    audit_record(
        action=AuditAction.READ,
        obj=document,
        actor=actor,
        object_label=f"{case.reference}: {document.get_kind_display()}",
        details={"case": case.reference, "by": "applicant"},
    )


# --- Writing: replies and read receipts -----------------------------------------------


@dataclass(frozen=True)
class AttachmentLimits:
    """What a reply may carry: a few files, a size limit, and types we can open and
    archive. The content must be what the file claims (sniffed, not trusted)."""

    max_files: int = 5
    max_size_mb: int = 10
    allowed_types: tuple[str, ...] = ("application/pdf", "image/jpeg", "image/png")


REPLY_LIMITS = AttachmentLimits()


def reply_attachment_problems(uploads, limits: AttachmentLimits = REPLY_LIMITS) -> list[str]:
    """What is wrong with the set of uploaded files as a whole (how many there are), as
    messages the citizen can act on. Each file is checked on its own by
    `reply_attachment_check`."""
    if len(uploads) > limits.max_files:
        return [_("Attach at most %(n)s files.") % {"n": limits.max_files}]
    return []


def reply_attachment_check(
    *, case: Case, upload, actor, limits: AttachmentLimits = REPLY_LIMITS
) -> CheckedUpload:
    """Checks one file for a reply with `uploads.upload_check` (not empty, size, type
    found from the content, virus scan), the same check as the e-service forms'. Raises
    `UploadRefused` with a message for the citizen; a refused virus is audited, so call
    this outside the transaction that stores the reply."""
    if case.applicant_id is None or actor is None or actor.pk != case.applicant_id:
        raise PermissionDenied
    try:
        return upload_check(upload, max_mb=limits.max_size_mb, allowed_types=limits.allowed_types)
    except UploadRefused as refused:
        upload_refusal_audit(
            refused,
            actor=actor,
            acting_for=case.organisation,
            details={"case": case.reference},
        )
        raise


def reply_attachment_store(*, case: Case, checked: CheckedUpload, actor) -> Document:
    """Stores one file that `reply_attachment_check` passed as an attachment of the case,
    not yet journaled: the reply's journal entry takes it."""
    if case.applicant_id is None or actor is None or actor.pk != case.applicant_id:
        raise PermissionDenied
    return document_store(
        organisation=case.organisation,
        name=checked.name or "vedlegg",
        content=checked.content,
        content_type=checked.content_type,
        kind=DocumentKind.ATTACHMENT,
        scan_status=checked.scan_status,
        uploaded_by=actor,
        case=case,
    )


def _notify_handlers(case: Case) -> None:
    """An e-mail notice to the handler with the case reference and a link only: no name,
    no title, no message text (titles may hold names, messages anything)."""
    recipients = handler_recipients(case)
    if not recipients:
        return
    link = back_office_case_url(case)
    context = {"reference": case.reference, "link": link, "case": case}
    with translation.override("nb"):
        subject = render_to_string("cases/email/reply_notice_subject.txt", context)
        body = render_to_string("cases/email/reply_notice_body.txt", context)
    notification_send(
        to=recipients,
        subject=subject,
        body=body,
        link=link,
        purpose="cases.reply_notice",
        reference=str(case.pk),
    )


def applicant_reply(
    *,
    case: Case,
    body: str,
    documents: list[Document] | tuple[Document, ...] = (),
    actor,
) -> CaseMessage:
    """The applicant answers in their case: a message from the applicant, journaled as an
    incoming document (I) with the applicant as sender and the attachments as its
    documents. A case waiting for the applicant moves back to work (and its deadline on
    by the days it waited). The handler gets an e-mail notice with a link only."""
    if actor is None or not actor.is_authenticated or case.applicant_id != actor.pk:
        raise PermissionDenied
    body = (body or "").strip()
    documents = list(documents)
    if not body and not documents:
        raise ValidationError(
            _("Write a message or attach a file."), code=CasesErrorCode.EMPTY_REPLY
        )
    for document in documents:
        if document.organisation_id != case.organisation_id or document.journal_entry_id:
            raise ValidationError(
                _("An attachment does not belong here."), code=CasesErrorCode.BAD_ATTACHMENT
            )
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("case_type", "handling_unit", "assignee", "organisation")
            .get(pk=case.pk)
        )
        workflow = workflow_of(case.case_type)
        if workflow.phase(case.status) == Phase.CLOSED:
            raise ValidationError(
                _("This case is closed. Send a new message to the municipality instead."),
                code=CasesErrorCode.CASE_CLOSED,
            )
        sender = actor.get_full_name() or case.applicant_name
        # Journal titles are records in the municipality's language (bokmål).
        title = f"Svar fra søker – {case.title}"
        entry = journal_entry_create(
            case=case,
            entry_type=EntryType.INCOMING,
            title=title,
            protected=[*protected_words(case), sender],
            parties=[{"role": "sender", "name": sender, "kind": "person"}],
            documents=documents,
            actor=actor,
        )
        message = CaseMessage.objects.create(
            case=case,
            direction=MessageDirection.FROM_APPLICANT,
            body=body,
            author=actor,
            journal_entry=entry,
        )
        CaseEvent.objects.create(
            case=case,
            kind="message_in",
            actor=actor,
            data={"message": message.pk, "attachments": len(documents)},
            visible_to_applicant=True,
        )
        resumed_to = None
        if workflow.phase(case.status) == Phase.PAUSED:
            target = workflow.first_allowed_in_phase(case.status, Phase.OPEN)
            if target is not None:
                case = case_status_move(
                    case=case, to_status=target.key, actor=actor, reason="applicant_replied"
                )
                resumed_to = target.key
        audit_record(
            action=AuditAction.CREATE,
            obj=message,
            actor=actor,
            object_label=f"{case.reference}: {message.get_direction_display()}",
            details={
                "case": case.reference,
                "journal_entry": entry.reference,
                "attachments": len(documents),
                "resumed_to": resumed_to,
            },
        )
        transaction.on_commit(
            partial(signals.case_message_added.send, sender=CaseMessage, message=message)
        )
        _notify_handlers(case)
    return message


def case_messages_mark_read(*, case: Case, actor) -> int:
    """Marks the municipality's messages in the case as read by the applicant; returns
    how many were unread."""
    if actor is None or case.applicant_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        count = case.messages.filter(
            direction=MessageDirection.TO_APPLICANT, read_at__isnull=True
        ).update(read_at=timezone.now())
        if count:
            audit_record(
                action=AuditAction.UPDATE,
                obj=case,
                actor=actor,
                object_label=case.reference,
                details={"messages_read": count},
            )
    return count
