"""Case handling (saksbehandling): assigning a case, internal notes, messages to the
applicant, the decision (vedtak) with its letter, status changes and closing.

Every service here checks that the actor may handle the case (`require_case_handler`:
the same rule as the staff selectors, so a handler can act exactly on the cases they can
see), runs in one transaction with its audit event and its timeline event (CaseEvent),
journals what leaves the municipality (an outgoing, U, journal entry for messages and
decision letters) and sends its signals only after the commit; its e-mails are queued
through the notification service, which sends them after the commit.

The applicant's e-mail notice never carries personal details or the message itself:
only the case number, the municipality and a link to log in to My cases, because e-mail
is not a secure channel for what a case holds.

Functions take the case, the other input and the actor, in that order (by position or
by keyword); `actor=None` is the system itself (the demo loader, a management command).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases import signals
from samvirke.cases.core.selectors import (
    cases_for_staff,
    cases_in_reach,
    is_confidential,
    need_to_know_allows,
    workflow_of,
)
from samvirke.cases.core.services import case_status_move, require_case_handler
from samvirke.cases.documents.services import document_store, render_pdfa
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.handling.selectors import (
    applicant_display_name,
    applicant_email,
    default_legal_basis,
    emergency_organisation_ids,
    my_cases_url,
)
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.journal.titles import protected_words
from samvirke.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
    CaseNote,
    Decision,
    Document,
    DocumentKind,
    EmergencyAccess,
    EntryStatus,
    EntryType,
    MessageDirection,
    Outcome,
    Phase,
    translated_text,
)
from samvirke.notifications.services import notification_send

APPEAL_WEEKS = 3  # forvaltningsloven § 29: three weeks from the letter's arrival
MAX_TEXT = 20_000


# ---------------------------------------------------------------- small helpers


def _locked(case: Case) -> Case:
    """The case row, locked for the rest of the transaction (two handlers acting at once
    wait for each other instead of overwriting each other's change)."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related(
            "case_type",
            "organisation",
            "handling_organisation",
            "handling_unit",
            "via_arrangement",
            "applicant",
            "offering__form",
        )
        .get(pk=case.pk)
    )


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """A validation error on one input, with its stable code (the API passes it on)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _text(value: str, *, field: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _field_error(field, _("Write something first."), code)
    if len(value) > MAX_TEXT:
        raise _field_error(
            field, _("At most %(n)s characters.") % {"n": MAX_TEXT}, CasesErrorCode.TOO_LONG
        )
    return value


def _refuse_when_closed(case: Case) -> None:
    if workflow_of(case.case_type).phase(case.status) == Phase.CLOSED:
        raise ValidationError(_("The case is closed."), code=CasesErrorCode.CASE_CLOSED)


def _journal_title(prefix: str, case: Case) -> str:
    """A journal entry's title: what it is, then the case's title (the journal is kept
    in the municipality's language)."""
    return f"{prefix} – {case.title}"


def _parties(case: Case, *, applicant_role: str) -> list[dict]:
    unit = {
        "role": "sender" if applicant_role == "recipient" else "recipient",
        "name": f"{case.handling_unit.name}, {case.handling_organisation.name}",
        "kind": "organisation",
    }
    applicant = {
        "role": applicant_role,
        "name": applicant_display_name(case) or _("The applicant"),
        "kind": "person",
    }
    return [unit, applicant]


def _event(case: Case, kind: str, actor, data: dict, *, visible: bool) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=_user(actor), data=data, visible_to_applicant=visible
    )


def _language(case: Case) -> str:
    """The applicant's language for letters and notices: the one they submitted in."""
    submission = getattr(case, "submission", None) if case.pk else None
    language = getattr(submission, "language", "") or settings.LANGUAGE_CODE
    return language[:2]


# ---------------------------------------------------------------- e-mail notice


def applicant_notice_send(case: Case, *, kind: str = "message") -> bool:
    """Queues the e-mail to the applicant that something new waits in My cases, sent
    when the surrounding transaction commits. Carries the case number, the
    municipality's name and a link, nothing else. Returns False when there is no
    address. A mail failure is retried by the notification service, never raised."""
    address = applicant_email(case)
    if not address:
        return False
    link = my_cases_url(case)
    context = {
        "kind": kind,
        "reference": case.reference,
        "municipality": case.organisation.name,
        "link": link,
    }
    with translation.override(_language(case)):
        subject = render_to_string("cases/email/notice_subject.txt", context)
        body = render_to_string("cases/email/notice_body.txt", context)
    notification_send(
        to=address,
        subject=subject,
        body=body,
        link=link,
        purpose="cases.applicant_notice",
        reference=str(case.pk),
    )
    return True


# ---------------------------------------------------------------- services


def case_assign(case: Case, assignee, actor) -> Case:
    """Gives the case to a case handler (or to nobody, with `assignee=None`). The
    assignee must be able to see the case: a colleague in another municipality, or
    outside the arrangement that brought the case here, cannot take it."""
    require_case_handler(actor, case)
    if assignee is not None and not (
        cases_for_staff(assignee).filter(pk=case.pk).exists()
        and need_to_know_allows(assignee, case, emergency=False)  # not by breaking the glass
    ):
        raise _field_error(
            "assignee",
            _("%(name)s cannot see this case, so cannot be given it.")
            % {"name": assignee.full_name or assignee.username},
            CasesErrorCode.ASSIGNEE_CANNOT_SEE_CASE,
        )
    with transaction.atomic():
        case = _locked(case)
        old = case.assignee_id
        new = assignee.pk if assignee is not None else None
        if old == new:
            return case
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        _event(
            case,
            "assigned",
            actor,
            {"assignee": (assignee.full_name or assignee.username) if assignee else ""},
            visible=False,
        )
        audit_record(
            action=AuditAction.UPDATE,
            obj=case,
            actor=actor,
            acting_for=case.handling_organisation,
            changes={"assignee": [old, new]},
        )
    return case


def case_note_add(case: Case, body: str, actor) -> CaseNote:
    """An internal note (intern merknad): for colleagues only, never shown to the
    applicant, not journalled."""
    require_case_handler(actor, case)
    if actor is None:
        raise ValueError("a note needs its author")
    body = _text(body, field="body", code=CasesErrorCode.NOTE_EMPTY)
    with transaction.atomic():
        case = _locked(case)
        note = CaseNote.objects.create(case=case, author=actor, body=body)
        _event(case, "note", actor, {"note": note.pk}, visible=False)
        audit_record(
            action=AuditAction.CREATE,
            obj=note,
            object_label=f"{case.reference}: {_('note')}",
            actor=actor,
            acting_for=case.handling_organisation,
            details={"case": case.reference},
        )
    return note


def message_to_applicant(
    case: Case,
    body: str,
    actor,
    requests_information: bool = False,
    documents: Sequence[Document] | Iterable[Document] = (),
) -> CaseMessage:
    """A message to the applicant, journalled as an outgoing (U) entry with any attached
    documents. With `requests_information` the case moves to its workflow's "waiting for
    the applicant" status and the deadline clock stops until the applicant answers (the
    reply path moves it on with `case_status_move`, which adds the days paused to the
    deadline). The applicant gets an e-mail notice with a link only."""
    require_case_handler(actor, case)
    body = _text(body, field="body", code=CasesErrorCode.MESSAGE_EMPTY)
    documents = list(documents)
    with transaction.atomic():
        case = _locked(case)
        _refuse_when_closed(case)
        workflow = workflow_of(case.case_type)
        pause_to = None
        if requests_information and workflow.phase(case.status) != Phase.PAUSED:
            target = workflow.first_allowed_in_phase(case.status, Phase.PAUSED)
            if target is None:
                raise ValidationError(
                    _("In its status “%(status)s” the case cannot wait for the applicant.")
                    % {"status": workflow.status(case.status).text()},
                    code=CasesErrorCode.CANNOT_PAUSE,
                )
            pause_to = target.key
        for document in documents:
            if document.organisation_id != case.organisation_id:
                raise ValidationError(
                    _("A document belongs to another municipality."),
                    code=CasesErrorCode.DOCUMENT_FOREIGN,
                )
        with translation.override(settings.LANGUAGE_CODE):
            prefix = _("Request for more information") if requests_information else _("Message")
            title = _journal_title(prefix, case)
            parties = _parties(case, applicant_role="recipient")
        entry = journal_entry_create(
            case=case,
            entry_type=EntryType.OUTGOING,
            title=title,
            protected=protected_words(case) + [applicant_display_name(case)],
            parties=parties,
            documents=documents,
            status=EntryStatus.DISPATCHED,
            actor=actor,
        )
        message = CaseMessage.objects.create(
            case=case,
            direction=MessageDirection.TO_APPLICANT,
            body=body,
            author=_user(actor),
            requests_information=requests_information,
            journal_entry=entry,
        )
        _event(
            case,
            "message",
            actor,
            {
                "message": message.pk,
                "direction": MessageDirection.TO_APPLICANT,
                "requests_information": requests_information,
            },
            visible=True,
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=message,
            actor=actor,
            acting_for=case.handling_organisation,
            details={
                "case": case.reference,
                "journal_entry": entry.reference,
                "requests_information": requests_information,
                "documents": len(documents),
            },
        )
        if pause_to is not None:
            reason = _("Waiting for more information from the applicant")
            case = case_status_move(case=case, to_status=pause_to, actor=actor, reason=reason)
        transaction.on_commit(
            partial(signals.case_message_added.send, sender=CaseMessage, message=message)
        )
        applicant_notice_send(case, kind="message")
    return message


DECISION_TEMPLATE = "cases/pdf/decision.html"


def decision_letter_context(
    case: Case, *, outcome: str, text: str, legal_basis: str, decided_by, date=None
) -> dict:
    """What the decision letter shows: the owning municipality's letterhead, who handled
    it (and on whose behalf, through an arrangement), the reference, the outcome, the
    grounds, the legal basis, the right to appeal and whom to contact."""
    offering = case.offering
    return {
        "organisation": case.organisation,
        "case": case,
        "reference": case.reference,
        "date": date or timezone.localdate(),
        "applicant_name": applicant_display_name(case),
        "outcome": outcome,
        "outcome_label": Outcome(outcome).label,
        "text": text,
        "legal_basis": legal_basis,
        "appeal_weeks": APPEAL_WEEKS,
        "handling_unit": case.handling_unit,
        "handling_organisation": case.handling_organisation,
        "via_arrangement": case.via_arrangement,
        "on_behalf": case.handling_organisation_id != case.organisation_id,
        "decided_by": getattr(decided_by, "full_name", "") or "",
        "contact_texts": offering.contact if offering else {},
    }


def decision_letter_render(
    case: Case,
    *,
    outcome: str,
    text: str,
    legal_basis: str,
    decided_by,
    date=None,
    language: str | None = None,
    renderer=render_pdfa,
) -> bytes:
    """The decision letter (vedtaksbrev) as PDF/A, in the applicant's language.
    `renderer` is `documents.render_pdfa` or a stand-in with its signature (the demo
    loader's cache)."""
    language = language or _language(case)
    context = decision_letter_context(
        case, outcome=outcome, text=text, legal_basis=legal_basis, decided_by=decided_by, date=date
    )
    context["contact"] = translated_text(context.pop("contact_texts"), language)
    return renderer(DECISION_TEMPLATE, context, language=language)


def case_decide(
    case: Case,
    outcome: str,
    text: str,
    actor,
    legal_basis: str = "",
    letter: bytes | None = None,
) -> Decision:
    """The decision (vedtak): granted, partly granted or refused, with its grounds. The
    letter is rendered to PDF/A, stored, and journalled as outgoing (U) to the applicant;
    the case moves to its workflow's decided status and the applicant gets a notice.

    `letter` lets a caller pass bytes it rendered already with
    `decision_letter_render` (the demo loader reuses one letter per municipality)."""
    require_case_handler(actor, case)
    if actor is None:
        raise ValueError("a decision needs the case handler who makes it")
    if outcome not in Outcome.values:
        raise _field_error("outcome", _("Choose an outcome."), CasesErrorCode.OUTCOME_UNKNOWN)
    text = _text(text, field="text", code=CasesErrorCode.GROUNDS_EMPTY)
    case = Case.objects.select_related(
        "case_type",
        "organisation",
        "handling_organisation",
        "handling_unit",
        "via_arrangement",
        "applicant",
        "offering__form",
    ).get(pk=case.pk)
    workflow = workflow_of(case.case_type)
    target = workflow.first_allowed_in_phase(case.status, Phase.DECIDED)
    if Decision.objects.filter(case=case).exists():
        raise ValidationError(
            _("The case has a decision already."), code=CasesErrorCode.ALREADY_DECIDED
        )
    if target is None:
        raise ValidationError(
            _("In its status “%(status)s” the case cannot be decided.")
            % {"status": workflow.status(case.status).text()},
            code=CasesErrorCode.CANNOT_DECIDE,
        )
    legal_basis = (legal_basis or "").strip() or default_legal_basis(case)
    today = timezone.localdate()
    # rendered before the transaction: it takes a moment and needs no lock
    if letter is None:
        letter = decision_letter_render(
            case, outcome=outcome, text=text, legal_basis=legal_basis, decided_by=actor, date=today
        )
    with transaction.atomic():
        case = _locked(case)
        if Decision.objects.filter(case=case).exists():  # decided meanwhile
            raise ValidationError(
                _("The case has a decision already."), code=CasesErrorCode.ALREADY_DECIDED
            )
        if not workflow.may_move(case.status, target.key):
            raise ValidationError(
                _("The case changed meanwhile."), code=CasesErrorCode.CANNOT_DECIDE
            )
        document = document_store(
            organisation=case.organisation,
            name=f"vedtak-{case.year}-{case.sequence:05d}.pdf",
            content=letter,
            content_type="application/pdf",
            kind=DocumentKind.LETTER,
            is_pdfa=True,
            uploaded_by=actor,
            case=case,
        )
        with translation.override(settings.LANGUAGE_CODE):
            title = _journal_title(
                _("Decision: %(outcome)s") % {"outcome": Outcome(outcome).label}, case
            )
            parties = _parties(case, applicant_role="recipient")
        entry = journal_entry_create(
            case=case,
            entry_type=EntryType.OUTGOING,
            title=title,
            protected=protected_words(case) + [applicant_display_name(case)],
            parties=parties,
            documents=[document],
            status=EntryStatus.DISPATCHED,
            actor=actor,
        )
        decision = Decision.objects.create(
            case=case, outcome=outcome, text=text, decided_by=actor, letter=document
        )
        case.outcome = outcome
        case.save(update_fields=["outcome", "updated_at"])
        _event(
            case,
            "decided",
            actor,
            {"outcome": outcome, "document": document.pk, "journal_entry": entry.pk},
            visible=True,
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=decision,
            actor=actor,
            acting_for=case.handling_organisation,
            details={
                "case": case.reference,
                "outcome": outcome,
                "legal_basis": legal_basis,
                "journal_entry": entry.reference,
                "letter_sha256": document.sha256,
            },
        )
        case_status_move(case=case, to_status=target.key, actor=actor)
        applicant_notice_send(case, kind="decision")
    return decision


def case_close(case: Case, actor) -> Case:
    """Closes the case (avslutter saken) along its workflow's transition to a closed
    status; the archive export takes closed cases."""
    require_case_handler(actor, case)
    case = Case.objects.select_related("case_type").get(pk=case.pk)
    workflow = workflow_of(case.case_type)
    target = workflow.first_allowed_in_phase(case.status, Phase.CLOSED)
    if target is None:
        raise ValidationError(
            _("In its status “%(status)s” the case cannot be closed.")
            % {"status": workflow.status(case.status).text()},
            code=CasesErrorCode.CANNOT_CLOSE,
        )
    return case_status_move(case=case, to_status=target.key, actor=actor)


def case_status_change(case: Case, to_status: str, actor, reason: str = "") -> Case:
    """Any other move the workflow allows. Deciding goes through `case_decide` (a
    decision needs its letter), so a decided status cannot be set here."""
    require_case_handler(actor, case)
    case = Case.objects.select_related("case_type").get(pk=case.pk)
    workflow = workflow_of(case.case_type)
    if (
        to_status in workflow.statuses
        and workflow.phase(to_status) == Phase.DECIDED
        and not Decision.objects.filter(case=case).exists()
    ):
        raise ValidationError(
            _("A case is decided with a decision and its letter."),
            code=CasesErrorCode.DECIDE_INSTEAD,
        )
    return case_status_move(case=case, to_status=to_status, actor=actor, reason=reason)


def case_page_read(*, case: Case, actor) -> None:
    """A handler opening the case page reads the applicant's personal data: audited (and
    marked when the reader is there by breaking the glass)."""
    details: dict[str, object] = {"purpose": "case handling", "view": "case page"}
    if not need_to_know_allows(actor, case, emergency=False):
        details["emergency_access"] = True
    audit_record(
        action=AuditAction.READ,
        obj=case,
        object_label=case.reference,
        actor=actor,
        acting_for=case.handling_organisation,
        details=details,
    )


def case_document_read(*, case: Case, document: Document, actor) -> None:
    """A handler downloading a document of the case: audited, as the document may hold
    personal data."""
    details: dict[str, object] = {"purpose": "case handling", "case": case.reference}
    if not need_to_know_allows(actor, case, emergency=False):
        details["emergency_access"] = True
    audit_record(
        action=AuditAction.READ,
        obj=document,
        actor=actor,
        acting_for=case.handling_organisation,
        details=details,
    )


# ---------------------------------------------------------------- breaking the glass

EMERGENCY_REASON_MIN = 20  # characters: a reason, not a word


def emergency_access_duration() -> datetime.timedelta:
    """How long a broken glass stays open (`SAMVIRKE_EMERGENCY_ACCESS_MINUTES`, default
    60 minutes)."""
    return datetime.timedelta(minutes=settings.SAMVIRKE_EMERGENCY_ACCESS_MINUTES)


def case_emergency_access_open(*, case: Case, actor, reason: str) -> EmergencyAccess:
    """Breaks the glass: gives `actor`, who holds the emergency access role in the case's
    handling organisation and reaches the case apart from need to know, access to this
    one confidential case for a limited time. The written reason is required. One
    `break_glass` audit event (the data protection officer's list) and a timeline event
    on the case (the handling unit sees who looked) record it."""
    reason = (reason or "").strip()
    if len(reason) < EMERGENCY_REASON_MIN:
        raise _field_error(
            "reason",
            _("Write why you need the case now, in at least %(n)s characters.")
            % {"n": EMERGENCY_REASON_MIN},
            CasesErrorCode.EMERGENCY_REASON_REQUIRED,
        )
    if len(reason) > MAX_TEXT:
        raise _field_error(
            "reason", _("At most %(n)s characters.") % {"n": MAX_TEXT}, CasesErrorCode.TOO_LONG
        )
    if (
        actor is None
        or case.handling_organisation_id not in emergency_organisation_ids(actor)
        or not cases_in_reach(actor).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied
    if not is_confidential(case):
        raise ValidationError(
            _("The case is not confidential; open it the ordinary way."),
            code=CasesErrorCode.EMERGENCY_NOT_CONFIDENTIAL,
        )
    now = timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            case=case,
            user=actor,
            reason=reason,
            granted_at=now,
            expires_at=now + emergency_access_duration(),
        )
        _event(
            case,
            "emergency_access",
            actor,
            {
                "name": actor.full_name or actor.username,
                "until": access.expires_at.isoformat(),
            },
            visible=False,
        )
        audit_record(
            action=AuditAction.BREAK_GLASS,
            obj=case,
            object_label=case.reference,
            actor=actor,
            acting_for=case.handling_organisation,
            details={
                "reason": reason,
                "expires_at": access.expires_at.isoformat(),
                "owner": case.organisation_id,
                "handling_unit": case.handling_unit_id,
                "emergency_access": access.pk,
            },
        )
    return access
