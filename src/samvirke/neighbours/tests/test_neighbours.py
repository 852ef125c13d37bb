"""Neighbour notification: a building application waits for its neighbours, each gets a
notice with a personal link, answers are recorded, the applicant follows it, and the
application goes to the municipality with the answers and the right deadline."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from samvirke.accounts.oidc.flow import SESSION_KEY
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases.documents.services import ScanResult, VirusScanner, document_read
from samvirke.cases.models import (
    Case,
    DocumentKind,
    EntryType,
    ScanStatus,
    Submission,
    SubmissionState,
)
from samvirke.cases.submission.services import follow_link, follow_links, pre_case_steps
from samvirke.core.tests import files
from samvirke.neighbours import plugins, services
from samvirke.neighbours.deadlines import THREE_WEEKS, TWELVE_WEEKS
from samvirke.neighbours.models import Answer, Neighbour, NeighbourNotification, NotificationState
from samvirke.neighbours.tests.factories import (
    APPLICANT_EMAIL,
    APPLICANT_ID,
    APPLICANT_NAME,
    APPLICANT_PHONE,
    PNG,
    applicant,
    building_application,
    form_with_contacts,
    form_without_dispensation_question,
    window_passed,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+/neighbour-notice/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/")


def eid_client(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = {"provider": "dev", "level": "substantial"}
    session.save()
    return client


@pytest.fixture
def submitted(demo, django_capture_on_commit_callbacks):
    """A building application to Askim with two neighbours: Kari with an e-mail
    address, Per without. The notices go out after the commit, as in production."""
    version = form_with_contacts(demo)
    user = applicant()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission = building_application(demo, user, version=version)
    notification = NeighbourNotification.objects.get(submission=submission)
    kari, per = notification.neighbours.order_by("position")
    notice = next(m for m in mail.outbox if "kari.nabo@example.invalid" in m.to)
    token = LINK.search(notice.body).group(1)
    return type(
        "Submitted",
        (),
        {
            "submission": submission,
            "notification": notification,
            "user": user,
            "kari": kari,
            "per": per,
            "token": token,
            "version": version,
        },
    )


def answer(client: Client, token: str, **data):
    return client.post(reverse("neighbours:notice", args=[token]), data)


# --- at submit --------------------------------------------------------------------------


def test_submitting_notifies_the_neighbours_instead_of_opening_a_case(submitted):
    submission, notification = submitted.submission, submitted.notification
    assert submission.state == SubmissionState.AWAITING_NEIGHBOURS
    assert submission.case is None
    assert notification.organisation.slug == "askim"
    assert notification.window_ends_on == timezone.localdate() + datetime.timedelta(days=14)
    # each neighbour has a PDF/A notice letter; only the one with an address got e-mail
    for neighbour in (submitted.kari, submitted.per):
        assert neighbour.notice_letter.kind == DocumentKind.NOTICE
        assert neighbour.notice_letter.is_pdfa
    assert submitted.kari.sent_at is not None and submitted.per.sent_at is None
    notices = [m for m in mail.outbox if "kari.nabo@example.invalid" in m.to]
    assert len(notices) == 1
    # only a hash of the link's secret is stored
    selector, secret = submitted.token.split(".")
    assert submitted.kari.token_selector == selector
    assert secret not in submitted.kari.token_hash
    assert not Neighbour.objects.filter(token_hash__contains=secret).exists()


def test_the_notice_letter_says_who_applies_for_what_where_how_and_by_when(submitted):
    content = document_read(submitted.per.notice_letter)
    reader = PdfReader(io.BytesIO(content))
    assert b'pdfaid:part="2"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    assert APPLICANT_NAME in text
    assert "12/34" in text and "Storgata 1" in text  # gnr/bnr and address
    assert "Per Gjenbo" in text  # addressed to the neighbour
    assert "21-3" in text  # legal basis
    assert submitted.notification.window_ends_on.strftime("%Y") in text
    assert "/neighbour-notice/" in text  # the personal link to type in
    assert APPLICANT_ID not in text and APPLICANT_EMAIL not in text


def test_the_email_holds_only_what_a_neighbour_may_see(submitted):
    message = next(m for m in mail.outbox if "kari.nabo@example.invalid" in m.to)
    whole = message.subject + message.body
    assert "12/34" in whole and "/neighbour-notice/" in whole
    for private in (
        APPLICANT_NAME,
        APPLICANT_ID,
        APPLICANT_EMAIL,
        APPLICANT_PHONE,
        "Per Gjenbo",
        "Dobbel garasje",
    ):
        assert private not in whole, private


def test_the_shipped_form_e_mails_neighbours_with_an_address_and_letters_everyone(
    demo, django_capture_on_commit_callbacks
):
    user = applicant()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission = building_application(demo, user)  # the form as shipped
    neighbours = list(submission.neighbour_notification.neighbours.order_by("name"))
    assert [n.name for n in neighbours] == ["Kari Nabo", "Per Gjenbo"]
    assert all(n.notice_letter is not None for n in neighbours)
    assert [bool(n.email) for n in neighbours] == [True, False]
    assert [m.to for m in mail.outbox if "nabo" in " ".join(m.to)] == [
        ["kari.nabo@example.invalid"]
    ]


def test_forms_without_a_neighbour_group_open_their_case_at_once(demo):
    from samvirke.cases.models import ServiceOffering

    submission = Submission(
        offering=ServiceOffering.objects.get(
            organisation=demo.org["askim"], form__slug="melding-til-kommunen"
        ),
        answers={"neighbours": [{"name": "Someone"}]},
    )
    submission.form_version = submission.offering.form.versions.order_by("-number").first()
    assert services.neighbour_notification_pre_case_step(submission) is False


def test_the_neighbour_notification_is_registered_as_a_pre_case_step_and_a_follow_link(
    submitted,
):
    assert pre_case_steps["neighbour-notification"] is plugins.NeighbourNotificationStep
    assert follow_links["neighbour-notification"] is plugins.NeighbourNotificationStatusLink
    link = follow_link(submitted.submission)
    assert link is not None
    assert link.url == reverse("neighbours:status", args=[submitted.submission.key])


# --- the neighbour's page ---------------------------------------------------------------


def test_the_personal_link_shows_the_application_and_records_the_read(submitted):
    client = Client()
    response = client.get(reverse("neighbours:notice", args=[submitted.token]))
    assert response.status_code == 200
    page = response.content.decode()
    assert APPLICANT_NAME in page and "Dobbel garasje" in page and "12/34" in page
    assert "fasadetegning.pdf" in page and "situasjonsplan.pdf" in page
    for private in (APPLICANT_ID, APPLICANT_EMAIL, APPLICANT_PHONE, "Per Gjenbo"):
        assert private not in page, private
    assert response["Cache-Control"] == "private, no-store"
    submitted.kari.refresh_from_db()
    assert submitted.kari.read_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.READ,
        object_type="cases.submission",
        object_id=str(submitted.submission.pk),
    ).exists()


def test_the_plans_open_through_the_link_only(submitted, demo, django_capture_on_commit_callbacks):
    client = Client()
    plan = submitted.submission.documents.filter(kind=DocumentKind.ATTACHMENT).first()
    response = client.get(reverse("neighbours:plan", args=[submitted.token, plan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="cases.document", object_id=str(plan.pk)
    ).exists()
    # another application's document is not reachable with this link
    with django_capture_on_commit_callbacks(execute=False):
        other = building_application(demo, applicant("01917499707", "Ola Testesen"))
    foreign = other.documents.filter(kind=DocumentKind.ATTACHMENT).first()
    assert (
        client.get(reverse("neighbours:plan", args=[submitted.token, foreign.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("mangle", ["secret", "selector", "shape"])
def test_a_wrong_link_is_404(submitted, mangle):
    selector, secret = submitted.token.split(".")
    token = {
        "secret": f"{selector}.{secret[:-2]}xx",
        "selector": f"AAAAAAAA.{secret}",
        "shape": f"{selector}{secret}",
    }[mangle]
    assert Client().get(reverse("neighbours:notice", args=[token])).status_code == 404


def test_after_the_window_the_link_shows_a_clear_message_and_takes_no_answers(submitted):
    window_passed(submitted.notification)
    client = Client()
    response = client.get(reverse("neighbours:notice", args=[submitted.token]))
    assert response.status_code == 410
    assert "frist" in response.content.decode().lower()  # the deadline, in bokmål
    assert APPLICANT_NAME not in response.content.decode()
    response = answer(client, submitted.token, answer="objection", text="For sent?")
    assert response.status_code == 410
    submitted.kari.refresh_from_db()
    assert submitted.kari.answer == Answer.NONE


def test_answers_are_checked_recorded_and_may_change_within_the_window(submitted):
    client = Client()
    # an objection needs a text
    response = answer(client, submitted.token, answer="objection", text="")
    assert response.status_code == 200  # the page again, with the error summary
    assert 'href="#answer-text"' in response.content.decode()
    # no choice at all
    response = answer(client, submitted.token, text="Hei")
    assert 'href="#answer-comment"' in response.content.decode()
    # a comment is recorded
    response = answer(client, submitted.token, answer="comment", text="Greit for meg.")
    assert response.status_code == 302
    submitted.kari.refresh_from_db()
    assert submitted.kari.answer == Answer.COMMENT and submitted.kari.answered_at
    # changed to an objection with a photo
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("utsikt.png", PNG, content_type="image/png")
    response = answer(
        client,
        submitted.token,
        answer="objection",
        text="Garasjen tar utsikten fra stua vår.",
        attachment=photo,
    )
    assert response.status_code == 302
    submitted.kari.refresh_from_db()
    assert submitted.kari.answer == Answer.OBJECTION
    assert submitted.kari.answer_attachment.content_type == "image/png"
    # a program pretending to be a PDF is refused, and the answer stays as it was
    fake = SimpleUploadedFile("tegning.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    response = answer(client, submitted.token, answer="comment", text="x", attachment=fake)
    assert 'href="#answer-attachment"' in response.content.decode()
    submitted.kari.refresh_from_db()
    assert submitted.kari.answer == Answer.OBJECTION
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE,
            object_type="neighbours.neighbour",
            object_id=str(submitted.kari.pk),
        ).count()
        >= 3
    )  # the letter, then two answers


class AlwaysInfected(VirusScanner):
    """A stand-in virus scanner that finds a virus in everything."""

    verbose_name = "finds a virus"

    def scan(self, content: bytes) -> ScanResult:
        return ScanResult(ScanStatus.INFECTED, signature="Eicar-Test-Signature")


def test_a_refused_attachment_is_named_the_answer_kept_and_a_virus_audited(
    submitted, virus_scanner
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    text = "Garasjen tar utsikten."
    # an empty file
    empty = SimpleUploadedFile("tom.pdf", b"", "application/pdf")
    response = answer(client, submitted.token, answer="objection", text=text, attachment=empty)
    html = response.content.decode()
    assert 'href="#answer-attachment"' in html and "«tom.pdf» er tom." in html
    assert text in html  # what the neighbour wrote stays in the form
    # a virus
    virus_scanner(AlwaysInfected)
    photo = SimpleUploadedFile("utsikt.png", PNG, "image/png")
    response = answer(client, submitted.token, answer="objection", text=text, attachment=photo)
    html = response.content.decode()
    assert 'href="#answer-attachment"' in html and "«utsikt.png» inneholder virus" in html
    assert text in html
    submitted.kari.refresh_from_db()
    assert submitted.kari.answer == Answer.NONE and submitted.kari.answer_attachment is None
    refused = AuditEvent.objects.get(object_label="refused upload")
    assert refused.acting_for == submitted.notification.organisation
    assert refused.details == {
        "refused": "virus",
        "signature": "Eicar-Test-Signature",
        "by": "neighbour",
        "neighbour": submitted.kari.pk,
    }


def test_an_objection_with_a_pdf_that_runs_javascript_is_refused_and_the_text_kept(submitted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    text = "Garasjen tar utsikten."
    attachment = SimpleUploadedFile(
        "innsigelse.pdf", files.pdf_open_action_javascript(), "application/pdf"
    )
    response = answer(client, submitted.token, answer="objection", text=text, attachment=attachment)
    html = response.content.decode()
    assert 'href="#answer-attachment"' in html
    assert "«innsigelse.pdf» inneholder JavaScript" in html  # bokmål, the default
    assert text in html  # what the neighbour wrote stays in the form
    submitted.kari.refresh_from_db()
    assert submitted.kari.answer == Answer.NONE and submitted.kari.answer_attachment is None


def test_the_sniffed_type_is_stored_and_a_name_that_lies_is_refused(submitted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # a PNG under a .jpg name, declared as JPEG: refused, the name says something else
    photo = SimpleUploadedFile("utsikt.jpg", PNG, "image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.neighbour_answer(
            neighbour=submitted.kari, answer=Answer.OBJECTION, text="Utsikten.", attachment=photo
        )
    assert "utsikt.jpg" in str(refused.value)
    # sent as what it is, it is stored as a PNG picture
    photo = SimpleUploadedFile("utsikt.png", PNG, "application/octet-stream")
    services.neighbour_answer(
        neighbour=submitted.kari, answer=Answer.OBJECTION, text="Utsikten.", attachment=photo
    )
    submitted.kari.refresh_from_db()
    assert submitted.kari.answer_attachment.content_type == "image/png"


# --- the applicant ----------------------------------------------------------------------


def test_the_status_page_is_for_the_applicant_only(submitted, demo, login):
    url = reverse("neighbours:status", args=[submitted.submission.key])
    answer(Client(), submitted.token, answer="comment", text="Ok.")
    response = eid_client(submitted.user).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kari Nabo" in page and "Per Gjenbo" in page and "Ok." in page
    assert "1 of 2" in page or "1 av 2" in page
    # the letters are there for the applicant to print
    letter = reverse(
        "neighbours:applicant-document",
        args=[submitted.submission.key, submitted.per.notice_letter_id],
    )
    assert letter in page
    assert eid_client(submitted.user).get(letter).status_code == 200
    # another citizen, a staff user, an anonymous visitor
    other = applicant("01917499707", "Ola Testesen")
    assert eid_client(other).get(url).status_code == 404
    assert eid_client(other).get(letter).status_code == 404
    staff = Client()
    login(staff, demo.user["askim.saksbehandler"])
    assert staff.get(url).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/eid/login/" in response["Location"]


def test_the_receipt_leads_the_applicant_to_the_status_page_while_it_waits(submitted):
    receipt = reverse("submit:receipt", kwargs={"key": submitted.submission.key})
    status = reverse("neighbours:status", args=[submitted.submission.key])
    client = eid_client(submitted.user)
    # the receipt (linked from the receipt e-mail) is the applicant's way to the page with
    # the letters to post and "send to the municipality now"
    assert f'href="{status}"' in client.get(receipt).content.decode()
    # once the application has gone on, the receipt shows its case number instead
    window_passed(submitted.notification)
    [case] = services.notification_windows_close()
    page = client.get(receipt).content.decode()
    assert case.reference in page and status not in page


def test_the_applicant_can_send_once_everyone_has_answered(submitted):
    client = eid_client(submitted.user)
    send = reverse("neighbours:forward", args=[submitted.submission.key])
    client.post(send)
    submitted.submission.refresh_from_db()
    assert submitted.submission.case is None  # Per has not answered, the window is open
    answer(Client(), submitted.token, answer="objection", text="Garasjen er for høy.")
    per_token = _new_token(submitted.per)
    answer(Client(), per_token, answer="comment", text="")
    response = client.post(send)
    assert response.status_code == 302
    submitted.submission.refresh_from_db()
    case = submitted.submission.case
    assert case is not None and submitted.submission.state == SubmissionState.SUBMITTED
    # an objection: twelve weeks
    assert case.deadline == timezone.localdate() + datetime.timedelta(days=TWELVE_WEEKS)
    entries = list(case.journal_entries.order_by("number_in_case"))
    assert [e.entry_type for e in entries] == [EntryType.INCOMING] * 3
    summary, objection = entries[1], entries[2]
    assert summary.documents.get().is_pdfa
    assert "12/34" in objection.title and "Kari Nabo" not in objection.title
    assert objection.parties == [{"role": "sender", "name": "Kari Nabo", "kind": "person"}]
    # the link now shows that the application has gone
    assert Client().get(reverse("neighbours:notice", args=[submitted.token])).status_code == 410
    assert client.post(send).status_code == 302  # a second click does nothing more
    assert Case.objects.filter(pk=case.pk).count() == 1
    assert case.events.filter(kind="neighbours_notified", visible_to_applicant=True).exists()


def _new_token(neighbour) -> str:
    """The personal link of a neighbour without e-mail is in their letter: issue a fresh
    one as a resend would (the letter is re-rendered with it)."""
    mail.outbox.clear()
    neighbour.email = "per.gjenbo@example.invalid"
    neighbour.save(update_fields=["email"])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail goes after commit
        services.neighbour_notice_send(neighbour=neighbour)
    return LINK.search(mail.outbox[-1].body).group(1)


def test_closing_the_window_sends_it_on_with_three_weeks_without_objections(submitted):
    answer(Client(), submitted.token, answer="comment", text="Fint.")
    window_passed(submitted.notification)
    out = io.StringIO()
    call_command("neighbours_close_windows", stdout=out)
    submitted.submission.refresh_from_db()
    case = submitted.submission.case
    assert case is not None and case.reference in out.getvalue()
    assert case.deadline == timezone.localdate() + datetime.timedelta(days=THREE_WEEKS)
    notification = NeighbourNotification.objects.get(pk=submitted.notification.pk)
    assert notification.state == NotificationState.FORWARDED
    assert notification.processing_days == THREE_WEEKS
    assert notification.answers_document.journal_entry.case == case
    assert case.journal_entries.count() == 2  # the form, and the answers (no objections)
    # running again sends nothing twice
    call_command("neighbours_close_windows", stdout=io.StringIO())
    assert case.journal_entries.count() == 2


@pytest.mark.parametrize("needs_dispensation", [True, None])
def test_twelve_weeks_when_a_dispensation_is_or_may_be_needed(
    demo, django_capture_on_commit_callbacks, needs_dispensation
):
    version = (
        form_with_contacts(demo)
        if needs_dispensation is not None
        else form_without_dispensation_question(demo)
    )
    with django_capture_on_commit_callbacks(execute=False):  # no letters needed here
        submission = building_application(
            demo, applicant(), version=version, needs_dispensation=needs_dispensation
        )
    window_passed(submission.neighbour_notification)
    (case,) = services.notification_windows_close()
    assert case.deadline == timezone.localdate() + datetime.timedelta(days=TWELVE_WEEKS)


# --- staff ------------------------------------------------------------------------------


def test_staff_see_their_own_municipalitys_notices_only(
    demo, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submission = building_application(demo, applicant())
    notification = submission.neighbour_notification
    detail = reverse("samvirke_neighbours:detail", args=[notification.pk])
    listing = reverse("samvirke_neighbours:list")
    askim = Client()
    login(askim, demo.user["askim.saksbehandler"])
    assert askim.get(detail).status_code == 200
    assert detail in askim.get(listing).content.decode()
    for username in ("skiptvet.saksbehandler", "spydeberg.ppt"):
        other = Client()
        login(other, demo.user[username])
        assert other.get(detail).status_code == 404
        assert detail not in other.get(listing).content.decode()


def test_the_staff_list_runs_a_fixed_number_of_queries(
    demo, login, django_capture_on_commit_callbacks
):
    client = Client()
    login(client, demo.user["askim.saksbehandler"])
    url = reverse("samvirke_neighbours:list")
    user = applicant()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    with django_capture_on_commit_callbacks(execute=False):
        building_application(demo, user)
    one = count()
    with django_capture_on_commit_callbacks(execute=False):
        building_application(demo, user)
        building_application(demo, user)
    assert count() == one
