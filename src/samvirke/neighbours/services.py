"""Neighbour notification's writes: starting the notice when a building application is
submitted, sending each neighbour's letter and e-mail, recording reads and answers, and
sending the application on to the municipality when the window closes.

Every write runs in a transaction with its audit event. Letters and e-mails go out from a
background task after the submission has been committed, so a slow mail server or PDF
renderer never holds up the citizen's submit."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases.documents.services import (
    CheckedUpload,
    UploadRefused,
    document_store,
    upload_check,
    upload_refusal_audit,
)
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import (
    Case,
    CaseEvent,
    Document,
    DocumentKind,
    EntryType,
    Submission,
)
from samvirke.cases.submission.services import submission_open_case
from samvirke.neighbours import signals
from samvirke.neighbours.application import (
    application_facts,
    has_neighbour_group,
    neighbour_rows,
)
from samvirke.neighbours.deadlines import processing_deadline_for
from samvirke.neighbours.errors import NeighboursErrorCode
from samvirke.neighbours.letters import (
    answers_summary_render,
    letter_language,
    notice_email_send,
    notice_letter_render,
    objection_render,
    personal_link,
)
from samvirke.neighbours.models import (
    Answer,
    ForwardReason,
    Neighbour,
    NeighbourNotification,
    NotificationState,
)
from samvirke.neighbours.tokens import token_issue

logger = logging.getLogger(__name__)

ANSWER_MAX_LENGTH = 4000
ATTACHMENT_MAX_MB = 10
ATTACHMENT_TYPES = ("application/pdf", "image/png", "image/jpeg")


# --- at submit ----------------------------------------------------------------------


def submission_notifies_neighbours(submission: Submission) -> bool:
    """The application's form asks for neighbours and the applicant named at least one."""
    return has_neighbour_group(submission.form_version.definition) and bool(
        neighbour_rows(submission.answers)
    )


def neighbour_notification_pre_case_step(submission: Submission) -> bool:
    """The `neighbour-notification` pre-case step (`neighbours.plugins`): a building
    application that names neighbours waits for them (True) instead of opening a case at
    once."""
    if not submission_notifies_neighbours(submission):
        return False
    if submission.pk is None:  # not stored yet: start once the submit has been committed
        transaction.on_commit(partial(_start_when_stored, submission))
    else:
        notification_start(submission=submission)
    return True


def _start_when_stored(submission: Submission) -> None:
    if submission.pk is not None:
        notification_start(submission=submission)


def notification_start(*, submission: Submission, actor=None) -> NeighbourNotification:
    """Creates the notification and its neighbours (idempotent: a repeated call returns
    the first), and sends the notices after the commit. The 14 days start now."""
    rows = neighbour_rows(submission.answers)
    if not rows:
        raise ValidationError(
            _("The application names no neighbours."), code=NeighboursErrorCode.NO_NEIGHBOURS
        )
    with transaction.atomic():
        existing = NeighbourNotification.objects.filter(submission=submission).first()
        if existing is not None:
            return existing
        now = timezone.now()
        notification = NeighbourNotification.objects.create(
            organisation_id=submission.offering.organisation_id,
            submission=submission,
            sent_at=now,
            window_ends_on=NeighbourNotification.window_end_for(now),
        )
        Neighbour.objects.bulk_create(
            Neighbour(
                notification=notification,
                position=position,
                name=row["name"],
                email=row["email"],
                address=row["address"],
                property_label=row["property"],
            )
            for position, row in enumerate(rows)
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=notification,
            actor=actor if actor is not None else submission.applicant,
            acting_for=notification.organisation,
            details={
                "submission": str(submission.key),
                "neighbours": len(rows),
                "window_ends_on": notification.window_ends_on.isoformat(),
            },
        )
        # the notices go out from a task (`receivers` queues it), so that a slow mail
        # server never holds up the submit; the task wraps `notices_send` below
        transaction.on_commit(
            partial(
                signals.notification_started.send,
                sender=NeighbourNotification,
                notification=notification,
            )
        )
    return notification


def notices_send(*, notification_id: int) -> int:
    """Sends every neighbour who has no notice yet their letter and e-mail. Idempotent:
    a neighbour with a notice letter is not sent another. Returns how many were sent."""
    notification = NeighbourNotification.objects.select_related(
        "organisation", "submission__form_version", "submission__applicant"
    ).get(pk=notification_id)
    if notification.state != NotificationState.OPEN:
        return 0
    sent = 0
    for neighbour in notification.neighbours.filter(notice_letter__isnull=True):
        neighbour.notification = notification
        neighbour_notice_send(neighbour=neighbour)
        sent += 1
    return sent


def neighbour_notice_send(*, neighbour: Neighbour, actor=None) -> Neighbour:
    """Gives the neighbour a new personal link (an earlier one stops working), renders
    the notice letter with it, and e-mails the link when the neighbour has an address."""
    notification = neighbour.notification
    issued = token_issue()
    link = personal_link(issued.token)
    content = notice_letter_render(neighbour, link=link)
    with transaction.atomic():
        letter = document_store(
            organisation=notification.organisation,
            name=f"nabovarsel-{neighbour.position + 1}.pdf",
            content=content,
            content_type="application/pdf",
            kind=DocumentKind.NOTICE,
            is_pdfa=True,
        )
        neighbour.token_selector = issued.selector
        neighbour.token_hash = issued.secret_hash
        neighbour.notice_letter = letter
        neighbour.save(update_fields=["token_selector", "token_hash", "notice_letter"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=neighbour,
            actor=actor,
            acting_for=notification.organisation,
            details={"notice": "letter", "email": bool(neighbour.email)},
        )
        if neighbour.email:
            # goes after the commit, retried if the mail server is down; `sent_at` is set
            # when it has gone (neighbour_notice_emailed). Until then, and if it never
            # goes, the status page says to post or deliver the letter.
            notice_email_send(neighbour, link=link)
    return neighbour


def neighbour_notice_emailed(*, neighbour_id: int, sent_at: datetime.datetime) -> None:
    """Records that the notice e-mail reached the mail server (told by the notification
    channel)."""
    Neighbour.objects.filter(pk=neighbour_id).update(sent_at=sent_at)


# --- the neighbour -------------------------------------------------------------------


def neighbour_notice_read(*, neighbour: Neighbour) -> None:
    """Records that the neighbour opened the notice (the first time is shown to the
    applicant), with an audit event for the read of the application."""
    now = timezone.now()
    with transaction.atomic():
        if neighbour.read_at is None:
            Neighbour.objects.filter(pk=neighbour.pk, read_at__isnull=True).update(read_at=now)
            neighbour.read_at = now
        audit_record(
            action=AuditAction.READ,
            obj=neighbour.notification.submission,
            actor=None,
            acting_for=neighbour.notification.organisation,
            details={"by": "neighbour", "neighbour": neighbour.pk, "what": "application"},
        )


def notification_document_read(
    *, applicant, notification: NeighbourNotification, document: Document
) -> None:
    """Records the applicant's read of a document of their own notification."""
    audit_record(
        action=AuditAction.READ,
        obj=document,
        actor=applicant,
        acting_for=notification.organisation,
        details={"by": "applicant", "notification": notification.pk},
    )


def notification_staff_read(*, actor, notification: NeighbourNotification) -> None:
    """Records a staff member's read of the neighbours and their answers."""
    audit_record(
        action=AuditAction.READ,
        obj=notification,
        actor=actor,
        acting_for=notification.organisation,
        details={"what": "neighbours and answers"},
    )


def neighbour_plan_read(*, neighbour: Neighbour, document: Document) -> None:
    audit_record(
        action=AuditAction.READ,
        obj=document,
        actor=None,
        acting_for=neighbour.notification.organisation,
        details={"by": "neighbour", "neighbour": neighbour.pk, "what": "plan"},
    )


def _attachment_check(neighbour: Neighbour, upload) -> CheckedUpload:
    """The neighbour's attachment checked by `uploads.upload_check` (not empty, size,
    type sniffed from the content, virus scan). A refused virus is audited for the
    municipality, with the neighbour as the one who sent it.

    As for every other upload, the content is read in full (a picture must decode, a
    PDF must parse without scripts or embedded files) and the name and declared type
    must agree with it; the sniffed type is what is stored and served."""
    try:
        return upload_check(upload, max_mb=ATTACHMENT_MAX_MB, allowed_types=ATTACHMENT_TYPES)
    except UploadRefused as refused:
        upload_refusal_audit(
            refused,
            actor=None,
            acting_for=neighbour.notification.organisation,
            details={"by": "neighbour", "neighbour": neighbour.pk},
        )
        raise


def neighbour_answer(
    *, neighbour: Neighbour, answer: str, text: str = "", attachment=None
) -> Neighbour:
    """Records the neighbour's answer. A neighbour may change it until the window ends or
    the application has been sent on; the last answer counts, and each change is
    audited. Errors come as a ValidationError with a message list per field
    (`answer`, `text`, `attachment`)."""
    text = (text or "").strip()
    errors: dict[str, list] = {}
    if answer not in (Answer.COMMENT, Answer.OBJECTION):
        errors["answer"] = [_("Choose whether you object or not.")]
    if answer == Answer.OBJECTION and not text:
        errors["text"] = [_("Write what you object to.")]
    if len(text) > ANSWER_MAX_LENGTH:
        errors["text"] = [
            _("Write at most %(n)s characters (you wrote %(count)s).")
            % {"n": ANSWER_MAX_LENGTH, "count": len(text)}
        ]
    checked = None
    if attachment is not None:
        try:
            checked = _attachment_check(neighbour, attachment)
        except UploadRefused as refused:
            errors["attachment"] = [ValidationError(refused.message, code=refused.code)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        neighbour = (
            Neighbour.objects.select_for_update(of=("self",))
            .select_related("notification__organisation")
            .get(pk=neighbour.pk)
        )
        notification = neighbour.notification
        if not notification.is_open_for_answers:
            raise ValidationError(
                _("The deadline for answers has passed."), code=NeighboursErrorCode.WINDOW_CLOSED
            )
        before = {"answer": neighbour.answer, "attachment": neighbour.answer_attachment_id}
        if checked is not None:
            neighbour.answer_attachment = document_store(
                organisation=notification.organisation,
                name=checked.name or "vedlegg",
                content=checked.content,
                content_type=checked.content_type,
                kind=DocumentKind.ATTACHMENT,
                scan_status=checked.scan_status,
                field_key="neighbour_answer",
            )
        neighbour.answer = answer
        neighbour.answer_text = text
        neighbour.answered_at = timezone.now()
        neighbour.save(update_fields=["answer", "answer_text", "answer_attachment", "answered_at"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=neighbour,
            actor=None,
            acting_for=notification.organisation,
            changes={
                "answer": [before["answer"], answer],
                "answer_text": ["*", "*"],
                **(
                    {"answer_attachment": [before["attachment"], neighbour.answer_attachment_id]}
                    if checked is not None
                    else {}
                ),
            },
            details={"by": "neighbour", "changed": before["answer"] != Answer.NONE},
        )
    return neighbour


# --- sending the application on ------------------------------------------------------


def may_forward(notification: NeighbourNotification) -> bool:
    """The applicant may send the application on once every neighbour has answered or
    the window has passed."""
    if notification.state != NotificationState.OPEN:
        return False
    if notification.window_has_passed:
        return True
    return not notification.neighbours.filter(answer=Answer.NONE).exists()


def notification_forward(
    *, notification: NeighbourNotification, actor=None, reason: str = ForwardReason.APPLICANT
) -> Case:
    """Sends the application to the municipality: opens its case with the deadline of
    § 21-7, and journals the neighbours' answers (a PDF/A summary of all of them, and each
    objection as an incoming document with its attachment). Idempotent: once sent, the
    case is returned."""
    with transaction.atomic():
        notification = (
            NeighbourNotification.objects.select_for_update(of=("self",))
            .select_related("organisation", "submission__form_version", "submission__offering")
            .get(pk=notification.pk)
        )
        submission = notification.submission
        if notification.state == NotificationState.FORWARDED:
            forwarded = Submission.objects.select_related("case").get(pk=submission.pk).case
            assert forwarded is not None  # a forwarded notification has opened its case
            return forwarded
        if reason == ForwardReason.APPLICANT:
            if actor is None or actor.pk is None or actor.pk != submission.applicant_id:
                raise PermissionDenied
            if not may_forward(notification):
                raise ValidationError(
                    _(
                        "The application can be sent once every neighbour has answered "
                        "or the deadline has passed."
                    ),
                    code=NeighboursErrorCode.WINDOW_OPEN,
                )
        elif not notification.window_has_passed:
            raise ValidationError(
                _("The neighbours' deadline has not passed."), code=NeighboursErrorCode.WINDOW_OPEN
            )

        rule = processing_deadline_for(notification)
        # routes, opens the case, journals the form and sets the submission "submitted"
        case = submission_open_case(submission, processing_days=rule.days, actor=actor)
        neighbours = list(notification.neighbours.select_related("answer_attachment"))
        facts = application_facts(submission)
        with translation.override(letter_language()):
            summary = document_store(
                organisation=notification.organisation,
                name="nabomerknader.pdf",
                content=answers_summary_render(notification, rule=rule),
                content_type="application/pdf",
                kind=DocumentKind.ATTACHMENT,
                is_pdfa=True,
            )
            journal_entry_create(
                case=case,
                entry_type=EntryType.INCOMING,
                title=_("Neighbour notification and neighbours' answers – gnr/bnr %(property)s")
                % {"property": facts["property"] or "–"},
                parties=[{"role": "sender", "name": facts["applicant"], "kind": "person"}],
                protected=[facts["applicant"]],
                documents=[summary],
                actor=actor,
            )
            for neighbour in neighbours:
                if neighbour.answer != Answer.OBJECTION:
                    continue
                documents = [
                    document_store(
                        organisation=notification.organisation,
                        name=f"nabomerknad-{neighbour.position + 1}.pdf",
                        content=objection_render(neighbour),
                        content_type="application/pdf",
                        kind=DocumentKind.ATTACHMENT,
                        is_pdfa=True,
                    )
                ]
                if neighbour.answer_attachment is not None:
                    documents.append(neighbour.answer_attachment)
                journal_entry_create(
                    case=case,
                    entry_type=EntryType.INCOMING,
                    # the neighbour is the sender party; the title names no private person
                    title=_("Objection from a neighbour – gnr/bnr %(property)s")
                    % {"property": facts["property"] or "–"},
                    parties=[{"role": "sender", "name": neighbour.name, "kind": "person"}],
                    protected=[neighbour.name],
                    documents=documents,
                    document_date=timezone.localdate(neighbour.answered_at),
                    actor=actor,
                )
        now = timezone.now()
        notification.state = NotificationState.FORWARDED
        notification.forwarded_at = now
        notification.forward_reason = reason
        notification.processing_days = rule.days
        notification.answers_document = summary
        notification.save(
            update_fields=[
                "state",
                "forwarded_at",
                "forward_reason",
                "processing_days",
                "answers_document",
            ]
        )
        CaseEvent.objects.create(
            case=case,
            kind="neighbours_notified",
            actor=actor if actor is not None and actor.is_authenticated else None,
            data={
                "neighbours": len(neighbours),
                "answered": sum(1 for n in neighbours if n.has_answered),
                "objections": sum(1 for n in neighbours if n.answer == Answer.OBJECTION),
                "processing_days": rule.days,
                "rule": rule.reason,
            },
            visible_to_applicant=True,
        )
        audit_record(
            action=AuditAction.UPDATE,
            obj=notification,
            actor=actor,
            acting_for=notification.organisation,
            changes={"state": [NotificationState.OPEN, NotificationState.FORWARDED]},
            details={"case": case.reference, "reason": reason, "processing_days": rule.days},
        )
    return case


def notification_windows_close() -> list[Case]:
    """Sends on every application whose neighbours' window has passed (run daily by
    `samvirke neighbours-close-windows`). One that fails is logged and tried again on the
    next run; the others go on."""
    today = timezone.localdate()
    cases = []
    due = NeighbourNotification.objects.filter(
        state=NotificationState.OPEN, window_ends_on__lt=today
    ).order_by("window_ends_on", "pk")
    for notification in due:
        try:
            cases.append(
                notification_forward(notification=notification, reason=ForwardReason.WINDOW_CLOSED)
            )
        except Exception:
            logger.exception(
                "sending on a building application failed",
                extra={"notification": notification.pk},
            )
    return cases
