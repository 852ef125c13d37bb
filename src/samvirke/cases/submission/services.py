"""Submitting an e-service form (innsending): drafts, attachments, the idempotent submit,
the receipt, and opening the case.

- A **draft** (`Draft`) holds the answers step by step, with the form version it was
  started with. An identified citizen's draft is theirs and can be resumed later; an
  anonymous visitor's draft is tied to the browser session.
- **Attachments** are stored as `Document`s linked to the draft as soon as they are
  uploaded, after `cases.uploads.upload_check`: the form's size and type limits, a check
  of the content itself (`filetype`: a .pdf that is really a program is refused) and the
  virus-scan plugin (`samvirke.cases.documents.scanning`).
- **Submitting** turns the draft into a `Submission` whose key is the draft's key, so a
  double click or a retry returns the first submission: one case, never two. Everything
  happens in one transaction; a failure leaves no half case and the draft as it was.
- **Pre-case steps**: other apps register a `PreCaseStep` plugin in `pre_case_steps`
  (`steps.py`, re-exported here); if one's `applies(submission)` returns True, the
  submission waits (`awaiting_neighbours`, for the neighbour notification of building
  applications) and that app calls `submission_open_case` later. Otherwise the case
  opens at once. That app registers in `follow_links` the page where the applicant
  follows the held submission; the receipt links to it.
- `submission_open_case` routes the submission, opens the case, renders the submitted
  form to PDF/A and journals it with the attachments as one incoming (I) journal entry
  with the applicant as sender; `signals.submission_received` goes out on commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samvirke.accounts.services import citizen_national_id_read
from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases import signals
from samvirke.cases.core.selectors import route_for
from samvirke.cases.core.services import case_open
from samvirke.cases.documents.scanning import generated_document_scan_status
from samvirke.cases.documents.services import (
    document_store,
    render_pdfa,
    upload_check,
    upload_refusal_audit,
)
from samvirke.cases.documents.uploads import CheckedUpload, UploadRefused
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import (
    Case,
    Document,
    DocumentKind,
    Draft,
    EntryType,
    ServiceOffering,
    Submission,
    SubmissionState,
    draft_retention_days,
    session_hash,
)
from samvirke.cases.submission.selectors import (
    PREFILL_KEY,
    draft_attachments,
    file_answer,
    first_incomplete_step,
    is_identified,
    offering_definition_version,
)

# the plugin kinds other apps register, on this module's public surface (`X as X`)
from samvirke.cases.submission.steps import FollowLink as FollowLink
from samvirke.cases.submission.steps import FollowLinkProvider as FollowLinkProvider
from samvirke.cases.submission.steps import PreCaseStep as PreCaseStep
from samvirke.cases.submission.steps import follow_links as follow_links
from samvirke.cases.submission.steps import pre_case_steps as pre_case_steps
from samvirke.eservices import engine
from samvirke.eservices.engine.fields import FieldError
from samvirke.eservices.errors import EservicesErrorCode
from samvirke.notifications.services import notification_send

#: The language of the municipality's own records (case title, the journalled form).
RECORD_LANGUAGE = "nb"


def follow_link(submission: Submission) -> FollowLink | None:
    """The page where the applicant follows a held submission, if an app offers one."""
    if submission.state != SubmissionState.AWAITING_NEIGHBOURS:
        return None
    for provider in follow_links.enabled():
        link = provider().link(submission)
        if link is not None:
            return link
    return None


# --- who is submitting ------------------------------------------------------------------


# --- drafts ------------------------------------------------------------------------------


def _asks_for(definition: dict, prefill: str) -> bool:
    return any(f.get("prefill") == prefill for s in definition["steps"] for f in s["fields"])


def draft_start(*, offering: ServiceOffering, user, session_key: str = "") -> Draft:
    """Starts a draft with the newest published version and the answers the eID login
    can fill in (name; the national identity number only when the form asks for it,
    read through the audited accounts service)."""
    version = offering_definition_version(offering)
    definition = version.definition
    answers: dict[str, Any] = {}
    citizen = user if is_identified(user) else None
    if citizen is not None:
        national_id = None
        if _asks_for(definition, "eid.national_id") and hasattr(citizen, "citizen_identity"):
            national_id = citizen_national_id_read(
                actor=citizen, citizen=citizen, purpose=f"prefill e-service {offering.form.slug}"
            )
        answers = engine.prefill_answers(
            definition, name=citizen.full_name or None, national_id=national_id
        )
        if answers:
            # kept aside too: a prefilled question shown only after another answer gets
            # its value when it appears (the engine drops answers to hidden questions)
            answers[PREFILL_KEY] = dict(answers)
    elif not session_key:
        raise ValueError("an anonymous draft needs the session key")
    with transaction.atomic():
        draft = Draft.objects.create(
            offering=offering,
            form_version=version,
            user=citizen,
            session_key="" if citizen else session_key,
            answers=answers,
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=draft,
            actor=citizen,
            acting_for=offering.organisation,
            object_label=f"draft {offering.form.slug}",
        )
    return draft


def _document_delete(document: Document) -> None:
    name, storage = document.file.name, document.file.storage
    document.delete()
    if name:
        transaction.on_commit(partial(storage.delete, name))


def draft_delete(*, draft: Draft, actor) -> None:
    """Deletes the draft and the files uploaded to it."""
    with transaction.atomic():
        for document in draft.documents.filter(submission=None):
            _document_delete(document)
        audit_record(
            action=AuditAction.DELETE,
            obj=draft,
            actor=actor,
            acting_for=draft.offering.organisation,
            object_label=f"draft {draft.offering.form.slug}",
        )
        draft.delete()


# --- attachments -------------------------------------------------------------------------


def attachment_store(*, draft: Draft, field_key: str, upload, limits: dict, actor) -> Document:
    """Checks one uploaded file against the field's limits (`uploads.upload_check`: size,
    type from the content, virus scan) and stores it with the draft. Raises
    `UploadRefused` with a translated message; a refused virus is audited first, outside
    the savepoint that stores the file, so the record stays."""
    try:
        checked = upload_check(
            upload, max_mb=limits["max_size_mb"], allowed_types=limits["allowed_types"]
        )
    except UploadRefused as refused:
        upload_refusal_audit(
            refused,
            actor=actor,
            acting_for=draft.offering.organisation,
            details={"field": field_key},
        )
        raise
    with transaction.atomic():
        return _attachment_save(draft=draft, field_key=field_key, checked=checked, actor=actor)


def _attachment_save(*, draft: Draft, field_key: str, checked: CheckedUpload, actor) -> Document:
    document = document_store(
        organisation=draft.offering.organisation,
        name=checked.name or "file",
        content=checked.content,
        content_type=checked.content_type,
        kind=DocumentKind.ATTACHMENT,
        scan_status=checked.scan_status,
        uploaded_by=actor,
        draft=draft,
        field_key=field_key,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=document,
        actor=actor,
        acting_for=draft.offering.organisation,
        object_label=f"attachment to draft {draft.offering.form.slug}",
        details={"field": field_key, "size": document.size, "scan": document.scan_status},
    )
    return document


def _error(outcome, code: str, message: str) -> FieldError:
    return FieldError(
        key=outcome.field["key"],
        target=outcome.html_id,
        code=code,
        message=message,
        label=engine.translated(outcome.field.get("label"), translation.get_language() or "nb"),
    )


# --- steps ---------------------------------------------------------------------------


@dataclass
class StepResult:
    outcome: engine.StepOutcome
    complete: bool
    extra_errors: list[FieldError] = field(default_factory=list)


def _clear(outcomes) -> None:
    for outcome in outcomes:
        outcome.errors = []
        for row in outcome.rows or []:
            _clear(row)


def draft_step_save(
    *,
    draft: Draft,
    step_index: int,
    data,
    files,
    language: str,
    actor,
    remove_document: int | None = None,
) -> StepResult:
    """Reads one posted step into the draft and saves it.

    Uploads to the step's file fields are checked and stored at once, whatever else on
    the page is wrong, so nobody has to choose a file twice; a refused file gets its
    error and every other answer stays. `remove_document` removes a stored attachment
    instead of going on (the page shows again, without complaints)."""
    definition = draft.form_version.definition
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if remove_document is not None:
            document = draft.documents.filter(pk=remove_document, submission=None).first()
            if document is not None:
                audit_record(
                    action=AuditAction.DELETE,
                    obj=document,
                    actor=actor,
                    acting_for=draft.offering.organisation,
                    object_label=f"attachment to draft {draft.offering.form.slug}",
                )
                _document_delete(document)
            files = {}
        outcome = engine.step_validate(
            definition,
            step_index=step_index,
            data=data,
            files=files,
            answers=draft.answers,
            language=language,
        )
        answers = dict(outcome.answers)
        extra: list[FieldError] = []
        with translation.override(language):
            for field_outcome in outcome.fields:
                if field_outcome.field["type"] != "file":
                    continue
                extra += _step_files(draft, field_outcome, files, actor)
                stored = draft_attachments(draft, field_outcome.field["key"])
                value = [file_answer(d) for d in stored] or None
                field_outcome.value = value
                key = field_outcome.field["key"]
                if value:
                    answers[key] = value
                    # a stored file fulfils "required" even when this post brought none
                    field_outcome.errors = [
                        e for e in field_outcome.errors if e.code != EservicesErrorCode.REQUIRED
                    ]
                else:
                    answers.pop(key, None)
        if remove_document is not None:
            _clear(outcome.fields)
        prefill = draft.answers.get(PREFILL_KEY) or {}
        for field_outcome in outcome.fields:
            key = field_outcome.field["key"]
            if key in prefill and field_outcome.name not in data and not field_outcome.raw:
                field_outcome.raw = prefill[key]  # just revealed: offer the eID value
        outcome.errors = engine_errors(outcome.fields)
        outcome.answers = engine.answers_prune(definition, answers)
        if prefill:
            outcome.answers[PREFILL_KEY] = prefill
        complete = outcome.complete and not outcome.errors and remove_document is None
        outcome.complete = complete
        draft.answers = outcome.answers
        fields = ["answers", "updated_at"]
        if complete and data.get("_action") != "back":
            draft.step = max(draft.step, step_index + 1)
            fields.append("step")
        draft.save(update_fields=fields)
    return StepResult(outcome=outcome, complete=complete, extra_errors=extra)


def engine_errors(outcomes) -> list[FieldError]:
    errors: list[FieldError] = []
    for outcome in outcomes:
        errors.extend(outcome.errors)
        for row in outcome.rows or []:
            errors.extend(engine_errors(row))
    return errors


def _step_files(draft: Draft, outcome, files, actor) -> list[FieldError]:
    """Stores the uploads posted to one file field; returns the errors for refused ones."""
    limits = outcome.field["files"]
    key = outcome.field["key"]
    getlist = getattr(files, "getlist", None)
    uploads = [f for f in (getlist(outcome.name) if getlist else files.get(outcome.name, [])) if f]
    if not uploads or any(e.code != EservicesErrorCode.REQUIRED for e in outcome.errors):
        return []  # nothing new, or the declared limits already refused them
    outcome.errors = []
    stored = draft_attachments(draft, key)
    multiple = limits.get("multiple", False)
    if multiple:
        room = limits.get("max_files", 10) - len(stored)
        if len(uploads) > room:
            error = _error(
                outcome,
                CasesErrorCode.TOO_MANY_FILES,
                _("Attach at most %(n)s files.") % {"n": limits.get("max_files", 10)},
            )
            outcome.errors.append(error)
            return [error]
    errors = []
    for upload in uploads[: 1 if not multiple else None]:
        try:
            attachment_store(draft=draft, field_key=key, upload=upload, limits=limits, actor=actor)
        except UploadRefused as refused:
            error = _error(outcome, refused.code, refused.message)
            outcome.errors.append(error)
            errors.append(error)
        else:
            if not multiple:
                for old in stored:  # a single-file field: the new file replaces the old
                    _document_delete(old)
    return errors


# --- submitting --------------------------------------------------------------------------


class SubmissionIncomplete(ValidationError):
    def __init__(self, step_index: int):
        super().__init__(
            _("Some required questions are not answered yet."), code=CasesErrorCode.INCOMPLETE
        )
        self.step_index = step_index


def applicant_name(submission: Submission | Draft, definition: dict | None = None) -> str:
    """The applicant's name: the answer to the field prefilled with the eID name, else
    the identified citizen's name."""
    definition = definition or submission.form_version.definition
    for step in definition["steps"]:
        for f in step["fields"]:
            if f.get("prefill") == "eid.name" and submission.answers.get(f["key"]):
                return str(submission.answers[f["key"]])[:200]
    user = getattr(submission, "applicant", None) or getattr(submission, "user", None)
    return (user.full_name if user is not None else "")[:200]


def applicant_email(answers: dict, definition: dict) -> str:
    """The first e-mail address the form collected."""
    for step in definition["steps"]:
        for f in step["fields"]:
            if f["type"] == "email" and answers.get(f["key"]):
                return str(answers[f["key"]])
    return ""


def submission_receive(
    *,
    draft: Draft,
    actor,
    language: str = "nb",
    receipt_url: Callable[[Submission], str] | None = None,
) -> Submission:
    """Submits the draft. Idempotent: the submission's key is the draft's, and a second
    call (a double click, a retry after a timeout, a concurrent request) returns the
    first submission. In one transaction: the submission, its attachments, the case (or
    the wait for a pre-case step), the receipt; the draft goes. On any failure nothing
    is stored and the draft stays as it was."""
    key = draft.key
    existing = Submission.objects.filter(key=key).first()
    if existing is not None:
        return existing
    definition = draft.form_version.definition
    answers = engine.answers_prune(definition, draft.answers)
    missing = first_incomplete_step(definition, answers)
    if missing is not None:
        raise SubmissionIncomplete(missing)
    try:
        with transaction.atomic():
            locked = (
                Draft.objects.select_for_update(of=("self",))
                .select_related("offering__form", "offering__organisation", "form_version")
                .filter(pk=draft.pk)
                .first()
            )
            if locked is None:  # submitted meanwhile by a concurrent request
                raise IntegrityError("draft already submitted")
            answers = engine.answers_prune(definition, locked.answers)
            missing = first_incomplete_step(definition, answers)
            if missing is not None:
                raise SubmissionIncomplete(missing)
            submission = _submission_create(locked, answers, actor, language)
    except IntegrityError:
        existing = Submission.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing
    email = applicant_email(submission.answers, definition)
    if email:
        url = receipt_url(submission) if receipt_url else ""
        transaction.on_commit(partial(receipt_email_send, submission, email, url))
    return submission


def _submission_create(draft: Draft, answers: dict, actor, language: str) -> Submission:
    offering = draft.offering
    submission = Submission.objects.create(
        key=draft.key,
        offering=offering,
        form_version=draft.form_version,
        applicant=draft.user if is_identified(draft.user) else None,
        answers=answers,
        language=language,
        # an anonymous replay from the same browser finds it before the session is saved
        session_hash="" if is_identified(draft.user) else session_hash(draft.session_key),
    )
    wanted = {
        item["document"]
        for step in draft.form_version.definition["steps"]
        for f in step["fields"]
        if f["type"] == "file"
        for item in answers.get(f["key"]) or []
        if isinstance(item, dict) and "document" in item
    }
    for document in draft.documents.filter(submission=None):
        if document.pk in wanted:
            document.submission, document.draft = submission, None
            document.save(update_fields=["submission", "draft"])
        else:
            _document_delete(document)  # uploaded to a question later hidden
    audit_record(
        action=AuditAction.CREATE,
        obj=submission,
        actor=actor,
        acting_for=offering.organisation,
        details={"form": offering.form.slug, "version": draft.form_version.number},
    )
    if any(step().applies(submission) for step in pre_case_steps.enabled()):
        submission.state = SubmissionState.AWAITING_NEIGHBOURS
        submission.save(update_fields=["state"])
    else:
        submission.case = submission_open_case(submission, actor=actor)
    draft.delete()
    return submission


def submission_open_case(submission: Submission, *, processing_days=None, actor=None) -> Case:
    """Opens the case for a submission (once: a second call returns the same case).

    Routes it by the municipality's rules, opens the case titled with the form's title and
    the applicant's name (screened as a protected word where the service is screened),
    renders the submitted form to PDF/A and journals it with the attachments as one
    incoming journal entry with the applicant as sender. `signals.submission_received`
    is sent after the commit."""
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("offering__form", "offering__organisation", "form_version")
            .get(pk=submission.pk)
        )
        if submission.case is not None:
            return submission.case
        offering = submission.offering
        definition = submission.form_version.definition
        name = applicant_name(submission, definition)
        form_title = engine.translated(definition["title"], RECORD_LANGUAGE) or offering.form.title
        title = f"{form_title} – {name}" if name else form_title
        route = route_for(offering, submission.answers)
        # rendered before the case number is taken: the number series stays locked from
        # then until the commit, and rendering is the slow part
        form_pdf = render_pdfa(
            "cases/pdf/submission.html",
            {
                "organisation": offering.organisation,
                "submission": submission,
                "form_title": form_title,
                "applicant_name": name,
                "steps": engine.review_steps(
                    definition, answers=submission.answers, language=RECORD_LANGUAGE
                ),
            },
            language=RECORD_LANGUAGE,
        )
        form_pdf_scan_status = generated_document_scan_status(form_pdf)
        case = case_open(
            offering=offering,
            route=route,
            title=title,
            protected=[name] if name else [],
            applicant=submission.applicant,
            applicant_name=name,
            applicant_email=applicant_email(submission.answers, definition)[:254],
            processing_days=processing_days,
            actor=actor,
        )
        form_document = document_store(
            organisation=offering.organisation,
            name=f"{offering.form.slug}-{case.year}-{case.sequence:05d}.pdf",
            content=form_pdf,
            content_type="application/pdf",
            kind=DocumentKind.SUBMISSION,
            is_pdfa=True,
            scan_status=form_pdf_scan_status,
            submission=submission,
        )
        attachments = list(
            submission.documents.filter(kind=DocumentKind.ATTACHMENT, journal_entry=None)
        )
        journal_entry_create(
            case=case,
            entry_type=EntryType.INCOMING,
            title=title,
            protected=[name] if name else [],
            parties=[
                {
                    "role": "sender",
                    "name": name or _("Anonymous applicant"),
                    "kind": "person",
                    # no person's name to withhold in the online journal
                    **({} if name else {"anonymous": True}),
                }
            ],
            documents=[form_document, *attachments],
            document_date=timezone.localdate(submission.submitted_at),
            actor=actor,
        )
        submission.case = case
        submission.state = SubmissionState.SUBMITTED
        submission.save(update_fields=["case", "state"])
        transaction.on_commit(
            partial(
                signals.submission_received.send,
                sender=Submission,
                submission=submission,
                case=case,
            )
        )
    return case


# --- receipts ----------------------------------------------------------------------------


def receipt_file_name(submission: Submission) -> str:
    """The receipt's file name in the installation's language, with the case number
    ("kvittering-2026-00123.pdf"), or, while a submission waits for its case number (the
    neighbours' notice period), with the time it was received
    ("kvittering-2026-03-04-1405.pdf"). It is the name in the case's documents and of the
    citizen's download, so it has no slash and no personal data."""
    if submission.case is not None:
        reference = submission.case.reference.replace("/", "-")
    else:
        reference = timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d-%H%M")
    with translation.override(settings.LANGUAGE_CODE):
        # Translators: the file name of a receipt; keep ".pdf" and use no spaces or slashes.
        return _("receipt-%(reference)s.pdf") % {"reference": reference}


def receipt_store(submission: Submission) -> Document:
    """Renders the receipt to PDF/A and stores it with the submission (kind receipt)."""
    offering = submission.offering
    definition = submission.form_version.definition
    language = submission.language or "nb"
    content = render_pdfa(
        "cases/pdf/receipt.html",
        {
            "organisation": offering.organisation,
            "submission": submission,
            "case": submission.case,
            "awaiting_neighbours": submission.state == SubmissionState.AWAITING_NEIGHBOURS,
            "form_title": engine.translated(definition["title"], language),
            "attachments": [
                d for d in submission.documents.all() if d.kind == DocumentKind.ATTACHMENT
            ],
            "steps": engine.review_steps(definition, answers=submission.answers, language=language),
        },
        language=language,
    )
    return document_store(
        organisation=offering.organisation,
        name=receipt_file_name(submission),
        content=content,
        content_type="application/pdf",
        kind=DocumentKind.RECEIPT,
        is_pdfa=True,
        scan_status=generated_document_scan_status(content),
        submission=submission,
        case=submission.case,
    )


def receipt_document(submission: Submission) -> Document:
    """The receipt as a PDF/A document, made when first asked for (not inside the submit
    transaction, which it would only make longer) and made again once a waiting
    submission has got its case number."""
    receipt = (
        submission.documents.filter(kind=DocumentKind.RECEIPT)
        .order_by("-created_at", "-id")
        .first()
    )
    if receipt is None or (submission.case_id is not None and receipt.case_id is None):
        receipt = receipt_store(submission)
    return receipt


def receipt_email_send(submission: Submission, email: str, receipt_url: str) -> None:
    """The e-mail receipt: the municipality, the case number and a link, nothing more (no
    names, no answers: e-mail is not a safe channel for personal data). Called after the
    commit, because it reads the case number a pre-case step may have left unset; the
    notification service then queues the message and retries a failed delivery, so the
    submission never fails for the mail."""
    submission.refresh_from_db(fields=["case", "state"])
    with translation.override(submission.language or "nb"):
        context = {
            "organisation": submission.offering.organisation,
            "reference": submission.case.reference if submission.case else "",
            "awaiting_neighbours": submission.state == SubmissionState.AWAITING_NEIGHBOURS,
            "receipt_url": receipt_url,
        }
        subject = render_to_string("cases/email/receipt_subject.txt", context)
        body = render_to_string("cases/email/receipt.txt", context)
    notification_send(
        to=email,
        subject=subject,
        body=body,
        link=receipt_url,
        purpose="cases.receipt",
        reference=str(submission.pk),
    )


# --- retention of drafts -------------------------------------------------------------------


def drafts_expire(*, now=None, limit: int = 1000) -> int:
    """Deletes the drafts not changed within their retention (anonymous:
    `SAMVIRKE_DRAFT_RETENTION_DAYS_ANONYMOUS`, identified:
    `SAMVIRKE_DRAFT_RETENTION_DAYS_IDENTIFIED`) with their attachments (the files go
    after the commit), each with an audit event by the system. Returns how many."""
    now = now or timezone.now()
    expired = Draft.objects.filter(
        Q(
            user=None,
            updated_at__lt=now - timedelta(days=draft_retention_days(identified=False)),
        )
        | Q(
            user__isnull=False,
            updated_at__lt=now - timedelta(days=draft_retention_days(identified=True)),
        )
    ).values_list("pk", flat=True)[:limit]
    count = 0
    for pk in list(expired):
        with transaction.atomic():
            draft = (
                Draft.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("offering__form", "offering__organisation")
                .filter(pk=pk)
                .first()
            )
            if draft is None or draft.deletes_at > now:
                continue  # being submitted or changed right now
            for document in draft.documents.filter(submission=None):
                _document_delete(document)
            audit_record(
                action=AuditAction.DELETE,
                obj=draft,
                actor=None,
                acting_for=draft.offering.organisation,
                object_label=f"draft {draft.offering.form.slug}",
                details={"reason": "retention", "days": draft.retention_days},
            )
            draft.delete()
            count += 1
    return count


def drafts_deletion_notify(*, now=None, limit: int = 1000) -> int:
    """Tells each identified citizen with a known e-mail address, once per period of
    inactivity, that a draft will be deleted in `SAMVIRKE_DRAFT_DELETION_NOTICE_DAYS` days
    unless they continue it. Returns how many were told."""
    now = now or timezone.now()
    days = draft_retention_days(identified=True)
    notice_days = min(settings.SAMVIRKE_DRAFT_DELETION_NOTICE_DAYS, days)
    due = (
        Draft.objects.filter(
            user__isnull=False,
            updated_at__lt=now - timedelta(days=days - notice_days),
        )
        .exclude(user__email="")
        .filter(Q(deletion_notice_sent_at=None) | Q(deletion_notice_sent_at__lt=F("updated_at")))
        .values_list("pk", flat=True)[:limit]
    )
    base = (settings.WAGTAILADMIN_BASE_URL or "").rstrip("/")
    link = base + reverse("submit:drafts")
    count = 0
    for pk in list(due):
        with transaction.atomic():
            draft = (
                Draft.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("offering__form", "offering__organisation", "user")
                .filter(pk=pk)
                .first()
            )
            citizen = draft.user if draft is not None else None
            if draft is None or citizen is None or not citizen.email:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "organisation": draft.offering.organisation,
                    "form_title": draft.offering.form.title,
                    "deletes_on": timezone.localtime(draft.deletes_at).date(),
                    "link": link,
                }
                subject = render_to_string("cases/email/draft_deletion_subject.txt", context)
                body = render_to_string("cases/email/draft_deletion.txt", context)
            notification_send(
                to=citizen.email,
                subject=subject,
                body=body,
                link=link,
                purpose="cases.draft_deletion",
                reference=str(draft.pk),
            )
            # an update, not save(): the draft's own `updated_at` must not move
            Draft.objects.filter(pk=draft.pk).update(deletion_notice_sent_at=now)
            count += 1
    return count
