"""Case handling services: assignment, notes, messages and the paused deadline, the
decision letter (PDF/A, journalled as outgoing to the applicant), closing, status changes,
deadline states, and who may act on which case."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases import signals
from samvirke.cases.core.selectors import DeadlineState, deadline_state, deadline_state_q, route_for
from samvirke.cases.core.services import case_open, case_status_move
from samvirke.cases.documents.services import document_read
from samvirke.cases.handling import selectors as handling_selectors
from samvirke.cases.handling import services as handling
from samvirke.cases.journal.titles import protected_words
from samvirke.cases.models import (
    Case,
    CaseEvent,
    CaseMessage,
    DocumentKind,
    EntryStatus,
    EntryType,
    Outcome,
    ServiceOffering,
)
from samvirke.notifications.models import Notification

pytestmark = pytest.mark.django_db

APPLICANT = "Kari Testesen (testperson)"


def open_case(
    demo,
    municipality="askim",
    form="melding-til-kommunen",
    title=f"Melding om veilys – {APPLICANT}",
    email="kari@example.invalid",
    opened_at=None,
) -> Case:
    offering = ServiceOffering.objects.select_related("form", "case_type").get(
        organisation=demo.org[municipality], form__slug=form
    )
    return case_open(
        offering=offering,
        route=route_for(offering, {}),
        title=title,
        protected=[APPLICANT],
        applicant_name=APPLICANT,
        applicant_email=email,
        opened_at=opened_at,
    )


def ppt_case(demo, municipality="skiptvet") -> Case:
    return open_case(demo, municipality, "henvisning-ppt", f"Henvisning til PPT – {APPLICANT}")


# ------------------------------------------------------------ who may act


def test_askims_handler_cannot_act_on_skiptvets_case(demo):
    case = open_case(demo, "skiptvet")
    askim = demo.user["askim.saksbehandler"]
    with pytest.raises(PermissionDenied):
        handling.case_note_add(case, "Ser på saken", askim)
    with pytest.raises(PermissionDenied):
        handling.case_assign(case, askim, askim)
    with pytest.raises(PermissionDenied):
        handling.message_to_applicant(case, "Hei", askim)
    with pytest.raises(PermissionDenied):
        handling.case_decide(case, Outcome.GRANTED, "Innvilget", askim)
    with pytest.raises(PermissionDenied):
        handling.case_close(case, askim)
    assert not case.notes.exists() and not case.messages.exists()


def test_spydebergs_ppt_handles_skiptvets_referral_and_skiptvet_cannot(demo):
    case = ppt_case(demo)
    assert case.organisation == demo.org["skiptvet"]
    assert case.handling_organisation == demo.org["spydeberg"]
    ppt = demo.user["spydeberg.ppt"]

    handling.case_assign(case, ppt, ppt)
    handling.case_note_add(case, "Tar kontakt med skolen.", ppt)
    case.refresh_from_db()
    assert case.assignee == ppt

    skiptvet = demo.user["skiptvet.saksbehandler"]
    with pytest.raises(PermissionDenied):
        handling.case_note_add(case, "Hva skjer her?", skiptvet)
    with pytest.raises(PermissionDenied):
        handling.case_status_change(case, "in_progress", skiptvet)


# ------------------------------------------------------------ assignment and notes


def test_assignment_only_to_someone_who_can_see_the_case(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    handling.case_assign(case, handler, handler)
    case.refresh_from_db()
    assert case.assignee == handler
    assert CaseEvent.objects.filter(case=case, kind="assigned", visible_to_applicant=False).exists()
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), changes__assignee=[None, handler.pk]
    ).exists()

    # an editor of Askim, or Skiptvet's handler, cannot be given Askim's case
    for outsider in ("askim.redaktor", "skiptvet.saksbehandler"):
        with pytest.raises(ValidationError) as error:
            handling.case_assign(case, demo.user[outsider], handler)
        assert error.value.error_dict["assignee"][0].code == "assignee_cannot_see_case"

    handling.case_assign(case, None, handler)
    case.refresh_from_db()
    assert case.assignee is None
    assert handler in handling_selectors.assignable_handlers(case)


def test_assignable_handlers_of_a_case_through_an_arrangement(demo):
    case = ppt_case(demo)
    handlers = handling_selectors.assignable_handlers(case)
    assert demo.user["spydeberg.ppt"] in handlers
    assert demo.user["spydeberg.admin"] not in handlers  # not in the PPT unit
    assert demo.user["skiptvet.saksbehandler"] not in handlers


def test_a_note_is_internal(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    note = handling.case_note_add(case, "  Ringte søker, venter på tegning.  ", handler)
    assert note.body == "Ringte søker, venter på tegning."
    event = CaseEvent.objects.get(case=case, kind="note")
    assert not event.visible_to_applicant
    assert not case.journal_entries.exists()
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        handling.case_note_add(case, "   ", handler)


# ------------------------------------------------------------ messages and the paused clock


def test_a_message_is_journalled_outgoing_and_the_notice_carries_no_personal_data(
    demo, django_capture_on_commit_callbacks
):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    received = []

    def receiver(sender, message, **kwargs):
        received.append(message)

    signals.case_message_added.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = handling.message_to_applicant(
                case, "Hei Kari, vi trenger bilde av lyktestolpen.", handler
            )
    finally:
        signals.case_message_added.disconnect(receiver)

    assert received == [message]
    entry = message.journal_entry
    assert entry.entry_type == EntryType.OUTGOING
    assert entry.status == EntryStatus.DISPATCHED
    assert {"role": "recipient", "name": APPLICANT, "kind": "person"} in entry.parties
    assert any(p["role"] == "sender" and p["kind"] == "organisation" for p in entry.parties)
    case.refresh_from_db()
    assert case.status == "received"  # a plain message does not pause

    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["kari@example.invalid"]
    text = notice.subject + notice.body
    assert case.reference in text
    assert f"/my-cases/{case.pk}/" in notice.body
    for private in ("Kari", "Testesen", "veilys", "lyktestolpen", case.title):
        assert private not in text
    sent = Notification.objects.get(purpose="cases.applicant_notice", reference=str(case.pk))
    assert sent.status == "sent"


def test_no_notice_without_an_address(demo, django_capture_on_commit_callbacks):
    case = open_case(demo, email="")
    with django_capture_on_commit_callbacks(execute=True):
        handling.message_to_applicant(case, "Hei", demo.user["askim.saksbehandler"])
    assert mail.outbox == []


def test_asking_for_information_pauses_and_the_reply_resumes_the_clock(
    demo, django_capture_on_commit_callbacks
):
    case = open_case(demo)
    deadline = case.deadline
    handler = demo.user["askim.saksbehandler"]
    with django_capture_on_commit_callbacks(execute=True):
        message = handling.message_to_applicant(
            case, "Send oss et kart over stedet.", handler, requests_information=True
        )
    assert message.requests_information
    case.refresh_from_db()
    assert case.status == "awaiting_information" and case.paused_at is not None
    assert deadline_state(case) == DeadlineState.PAUSED
    # journal titles are records in the municipality's language (bokmål)
    assert message.journal_entry.title.startswith("Forespørsel om flere opplysninger")

    # asking again while waiting sends the message and keeps the case waiting
    handling.message_to_applicant(case, "Påminnelse.", handler, requests_information=True)
    case.refresh_from_db()
    assert case.status == "awaiting_information"

    # the applicant answers four days later (the My cases reply path moves the case on)
    Case.objects.filter(pk=case.pk).update(paused_at=timezone.now() - datetime.timedelta(days=4))
    case = case_status_move(case=case, to_status="in_progress", actor=None)
    assert case.paused_at is None and case.paused_days == 4
    assert case.deadline == deadline + datetime.timedelta(days=4)


def test_a_closed_case_takes_no_messages(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    handling.case_close(case, handler)
    with pytest.raises(ValidationError) as error:
        handling.message_to_applicant(case, "Hei", handler)
    assert error.value.code == "case_closed"


# ------------------------------------------------------------ decision


def test_the_decision_letter_is_pdfa_and_journalled_to_the_applicant(
    demo, django_capture_on_commit_callbacks
):
    case = ppt_case(demo)
    ppt = demo.user["spydeberg.ppt"]
    handling.case_status_change(case, "in_progress", ppt)
    with django_capture_on_commit_callbacks(execute=True):
        decision = handling.case_decide(
            case,
            Outcome.PARTLY_GRANTED,
            "PPT gjør en sakkyndig vurdering av lesing, ikke av atferd.",
            ppt,
        )

    case.refresh_from_db()
    assert case.status == "decided" and case.outcome == Outcome.PARTLY_GRANTED
    assert case.decided_at is not None

    letter = decision.letter
    assert letter.kind == DocumentKind.LETTER and letter.is_pdfa
    assert letter.organisation == demo.org["skiptvet"]  # the owner's archive
    content = document_read(letter)
    reader = PdfReader(io.BytesIO(content))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="2"' in metadata
    assert "/OutputIntents" in reader.trailer["/Root"]
    text = " ".join(page.extract_text() for page in reader.pages)
    assert case.reference in text
    assert "Spydeberg" in text and "Skiptvet" in text  # handled on behalf of the owner
    assert "29" in text  # the appeal deadline's section

    entry = letter.journal_entry
    assert entry.entry_type == EntryType.OUTGOING
    assert entry.organisation == demo.org["skiptvet"]
    assert {"role": "recipient", "name": APPLICANT, "kind": "person"} in entry.parties
    assert entry.is_screened and APPLICANT not in entry.public_title

    assert len(mail.outbox) == 1
    assert APPLICANT not in mail.outbox[0].body and "PPT" not in mail.outbox[0].subject
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="cases.decision", object_id=str(decision.pk)
    ).exists()

    with pytest.raises(ValidationError) as error:
        handling.case_decide(case, Outcome.GRANTED, "Igjen", ppt)
    assert error.value.code == "already_decided"


def test_a_decision_needs_an_outcome_and_grounds(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    with pytest.raises(ValidationError):
        handling.case_decide(case, "maybe", "Grunner", handler)
    with pytest.raises(ValidationError):
        handling.case_decide(case, Outcome.GRANTED, "  ", handler)
    assert not case.journal_entries.exists()


def test_a_waiting_case_cannot_be_decided_and_decided_is_not_a_plain_status(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    with pytest.raises(ValidationError) as error:
        handling.case_status_change(case, "decided", handler)
    assert error.value.code == "decide_instead"
    handling.message_to_applicant(case, "Mer info?", handler, requests_information=True)
    with pytest.raises(ValidationError) as error:
        handling.case_decide(case, Outcome.GRANTED, "Innvilget", handler)
    assert error.value.code == "cannot_decide"


def test_closing_after_the_decision(demo):
    case = open_case(demo)
    handler = demo.user["askim.saksbehandler"]
    handling.case_decide(case, Outcome.REFUSED, "Ikke grunnlag.", handler)
    case = handling.case_close(case, handler)
    assert case.status == "closed" and case.closed_at is not None
    assert deadline_state(case) == DeadlineState.NONE
    with pytest.raises(ValidationError) as error:
        handling.case_close(case, handler)
    assert error.value.code == "cannot_close"
    assert [s.key for s in handling_selectors.status_choices(case)] == []


# ------------------------------------------------------------ deadlines


def test_deadline_states(demo):
    today = timezone.localdate()
    case = open_case(demo)  # 21 days
    assert deadline_state(case) == DeadlineState.OK
    case.deadline = today + datetime.timedelta(days=7)
    assert deadline_state(case) == DeadlineState.DUE_SOON
    case.deadline = today
    assert deadline_state(case) == DeadlineState.DUE_SOON
    case.deadline = today - datetime.timedelta(days=1)
    assert deadline_state(case) == DeadlineState.OVERDUE
    case.deadline = None
    assert deadline_state(case) == DeadlineState.NONE


def test_the_database_filter_agrees_with_the_python_rule(demo):
    now = timezone.now()
    handler = demo.user["askim.saksbehandler"]
    overdue = open_case(demo, opened_at=now - datetime.timedelta(days=30))
    soon = open_case(demo, opened_at=now - datetime.timedelta(days=18))
    fine = open_case(demo)
    paused = open_case(demo, opened_at=now - datetime.timedelta(days=30))
    handling.message_to_applicant(paused, "Mer?", handler, requests_information=True)
    decided = open_case(demo, opened_at=now - datetime.timedelta(days=30))
    handling.case_decide(decided, Outcome.GRANTED, "Ja.", handler)
    mine = [overdue, soon, fine, paused, decided]
    for case in mine:
        case.refresh_from_db()
        state = deadline_state(case)
        matching = Case.objects.filter(pk__in=[c.pk for c in mine]).filter(deadline_state_q(state))
        assert list(matching.values_list("pk", flat=True)) == [case.pk], state
    assert deadline_state(overdue) == DeadlineState.OVERDUE
    assert deadline_state(soon) == DeadlineState.DUE_SOON
    assert deadline_state(fine) == DeadlineState.OK
    assert deadline_state(paused) == DeadlineState.PAUSED
    assert deadline_state(decided) == DeadlineState.NONE


def test_protected_words_follow_the_case_title(demo):
    case = ppt_case(demo)
    assert protected_words(case) == [APPLICANT]
    public = open_case(demo)  # a general message is not screened
    assert protected_words(public) == []


# ------------------------------------------------------------ the demo


def test_the_demo_has_open_and_closed_cases_in_every_municipality(demo):
    from samvirke.cases.models import Decision
    from samvirke.organisations.models import Organisation

    for organisation in Organisation.objects.filter(is_member=True, kind="municipality"):
        cases = Case.objects.filter(
            organisation=organisation, applicant_name__contains="(testperson)"
        )
        closed = cases.filter(status="closed", decision__isnull=False)
        assert closed.count() >= 2, organisation
        assert cases.filter(status="awaiting_information").exists(), organisation
        assert any(deadline_state(c) == DeadlineState.OVERDUE for c in cases), organisation
        for case in closed:
            assert Decision.objects.get(case=case).letter.is_pdfa
    skiptvet_ppt = Case.objects.filter(
        organisation=demo.org["skiptvet"], offering__form__slug="henvisning-ppt"
    )
    assert skiptvet_ppt.filter(handling_organisation=demo.org["spydeberg"]).count() >= 2
    assert CaseMessage.objects.filter(case__organisation=demo.org["askim"]).exists()
