"""My cases: a citizen sees their own cases only (another's answers 404), reads the
municipality's messages, replies with attachments (journaled, audited, resuming a paused
case and moving its deadline) and downloads their documents through a checked view."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvirke.accounts.tests.factories import citizen, eid_login
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases import signals
from samvirke.cases.core.services import case_status_move
from samvirke.cases.documents.scanning import ScanResult, VirusScanner
from samvirke.cases.documents.services import document_store
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.mine.services import applicant_reply
from samvirke.cases.models import (
    Case,
    CaseMessage,
    EntryType,
    MessageDirection,
    ScanStatus,
)
from samvirke.cases.tests.factories import open_case
from samvirke.cases.tests.formdata import PNG
from samvirke.notifications.models import Notification

pytestmark = pytest.mark.django_db

# A 1×1 PNG (formdata.PNG, decoded in full by the upload check) and a "PDF" that is
# really text.
FAKE_PDF = b"this is not a PDF at all, just text pretending"


def ask_for_information(case, handler, body="Send oss et bilde av stedet."):
    """The handler asks for more information (as the handling part will): an outgoing
    message, journaled, and the case paused."""
    entry = journal_entry_create(
        case=case, entry_type=EntryType.OUTGOING, title=f"Forespørsel – {case.title}"
    )
    message = CaseMessage.objects.create(
        case=case,
        direction=MessageDirection.TO_APPLICANT,
        body=body,
        author=handler,
        requests_information=True,
        journal_entry=entry,
    )
    case_status_move(case=case, to_status="awaiting_information", actor=handler)
    return message


def test_my_cases_needs_an_eid_login(client, demo, login):
    url = reverse("cases_mine:list")
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/eid/login/" in response["Location"]
    login(client, demo.user["askim.saksbehandler"])  # a staff login is not an eID login
    assert client.get(url).status_code == 302


def test_the_list_shows_own_cases_only_with_status_and_expected_date(client, demo):
    ingrid, ola = citizen("p1"), citizen("p2")
    mine = open_case(demo, ingrid, title="Melding om hull i veien")
    theirs = open_case(demo, ola, municipality="spydeberg", title="Ola sin melding")
    eid_login(client, ingrid)
    response = client.get(reverse("cases_mine:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Melding om hull i veien" in html and mine.reference in html
    assert (
        "Ola sin melding" not in html and reverse("cases_mine:case", args=[theirs.pk]) not in html
    )
    assert demo.org["askim"].name in html
    assert mine.deadline.isoformat() in html  # <time datetime=…>
    assert "Received" in html or "Mottatt" in html


def test_the_municipalitys_status_text_wins_and_a_paused_case_says_so(client, demo):
    ingrid = citizen()
    case = open_case(demo, ingrid)
    service = case.offering
    service.status_texts = {"received": {"nb": "Vi har fått meldingen", "en": "We have it"}}
    service.save()
    eid_login(client, ingrid)
    html = client.get(reverse("cases_mine:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "We have it" in html
    ask_for_information(case, demo.user["askim.saksbehandler"])
    html = client.get(reverse("cases_mine:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Paused while we wait for you" in html
    assert "We are waiting for your answer" in html  # the workflow's citizen_label


def test_another_citizens_case_and_documents_answer_404(client, demo):
    ingrid, ola = citizen("p1"), citizen("p2")
    theirs = open_case(demo, ola)
    document = theirs.documents.get()
    mine = open_case(demo, ingrid)
    eid_login(client, ingrid)
    assert client.get(reverse("cases_mine:case", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("cases_mine:case", args=[theirs.pk]), {"body": "x"}).status_code == 404
    )
    assert (
        client.get(reverse("cases_mine:document", args=[theirs.pk, document.pk])).status_code == 404
    )
    # nor through one's own case
    assert (
        client.get(reverse("cases_mine:document", args=[mine.pk, document.pk])).status_code == 404
    )
    assert client.get(reverse("cases_mine:case", args=[999_999])).status_code == 404
    assert not CaseMessage.objects.filter(case=theirs).exists()


def test_case_page_shows_timeline_messages_documents_and_marks_messages_read(client, demo):
    ingrid = citizen()
    case = open_case(demo, ingrid)
    message = ask_for_information(case, demo.user["askim.saksbehandler"])
    note = journal_entry_create(case=case, entry_type=EntryType.NOTE, title="Internt notat")
    internal = document_store(
        organisation=case.organisation,
        name="internt.pdf",
        content=b"%PDF-1.7 internal",
        content_type="application/pdf",
        case=case,
        journal_entry=note,
    )
    eid_login(client, ingrid)
    reads_before = AuditEvent.objects.filter(action=AuditAction.READ).count()
    response = client.get(reverse("cases_mine:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Send oss et bilde av stedet." in html
    assert "We are waiting for your answer" in html
    assert "We received your case" in html  # the timeline, in plain language
    assert "skjema.pdf" in html and "internt.pdf" not in html
    assert 'name="attachments"' in html and 'enctype="multipart/form-data"' in html
    message.refresh_from_db()
    assert message.read_at is not None
    # reading one's own case is not a staff read of personal data
    assert AuditEvent.objects.filter(action=AuditAction.READ).count() == reads_before
    assert (
        client.get(reverse("cases_mine:document", args=[case.pk, internal.pk])).status_code == 404
    )


def test_downloading_a_document_is_audited(client, demo):
    ingrid = citizen()
    case = open_case(demo, ingrid)
    document = case.documents.get()
    eid_login(client, ingrid)
    response = client.get(reverse("cases_mine:document", args=[case.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="cases.document", object_id=str(document.pk)
    ).get()
    assert event.actor == ingrid and event.details["case"] == case.reference


def test_replying_resumes_a_paused_case_and_moves_its_deadline(
    client, demo, django_capture_on_commit_callbacks
):
    ingrid = citizen()
    handler = demo.user["askim.saksbehandler"]
    case = open_case(demo, ingrid, title="Melding fra Ingrid Testesen", protected=["Ingrid"])
    ask_for_information(case, handler)
    case.refresh_from_db()
    deadline = case.deadline
    Case.objects.filter(pk=case.pk).update(paused_at=timezone.now() - datetime.timedelta(days=4))
    received = []

    def receiver(sender, message, **kwargs):
        received.append(message)

    signals.case_message_added.connect(receiver)
    eid_login(client, ingrid)
    upload = io.BytesIO(PNG)
    upload.name = "bilde.png"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("cases_mine:case", args=[case.pk]),
                {"body": "Her er bildet.", "attachments": [upload]},
            )
    finally:
        signals.case_message_added.disconnect(receiver)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert case.paused_at is None and case.paused_days == 4
    assert case.deadline == deadline + datetime.timedelta(days=4)
    reply = case.messages.get(direction=MessageDirection.FROM_APPLICANT)
    assert reply.body == "Her er bildet." and reply.author == ingrid
    entry = reply.journal_entry
    assert entry.entry_type == EntryType.INCOMING
    assert entry.parties == [{"role": "sender", "name": ingrid.full_name, "kind": "person"}]
    document = entry.documents.get()
    assert document.name == "bilde.png" and document.content_type == "image/png"
    assert document.case == case and document.uploaded_by == ingrid
    assert received == [reply]
    assert AuditEvent.objects.filter(
        object_type="cases.casemessage", object_id=str(reply.pk), action=AuditAction.CREATE
    ).exists()
    # the handler hears about it, without personal details
    notices = [m for m in mail.outbox if case.reference in m.subject]
    assert len(notices) == 1
    notice = notices[0]
    assert f"/admin/cases/{case.pk}/" in notice.body
    for secret in ("Ingrid", "Her er bildet", "Melding fra"):
        assert secret not in notice.subject + notice.body
    sent = Notification.objects.get(purpose="cases.reply_notice", reference=str(case.pk))
    assert sent.status == "sent"


def test_screened_case_reply_hides_the_applicants_name_in_the_public_title(demo):
    ingrid = citizen()
    case = open_case(
        demo,
        ingrid,
        municipality="skiptvet",
        form="henvisning-ppt",
        title="Henvisning - Ingrid Testesen",
        protected=["Ingrid Testesen"],
    )
    message = applicant_reply(case=case, body="Mer informasjon.", actor=ingrid)
    entry = message.journal_entry
    assert entry.is_screened
    assert "Ingrid" not in entry.public_title and "*****" in entry.public_title


def test_a_file_that_is_not_what_it_claims_is_refused_and_the_text_kept(client, demo):
    ingrid = citizen()
    case = open_case(demo, ingrid)
    eid_login(client, ingrid)
    upload = io.BytesIO(FAKE_PDF)
    upload.name = "vedtak.pdf"
    response = client.post(
        reverse("cases_mine:case", args=[case.pk]),
        {"body": "Teksten min skal ikke forsvinne.", "attachments": [upload]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "could not be recognised as one of the allowed types" in html
    assert 'href="#id_attachments"' in html  # the error summary links to the field
    assert "Teksten min skal ikke forsvinne." in html
    assert not case.messages.exists()
    assert case.documents.count() == 1  # only the submitted form


class AlwaysInfected(VirusScanner):
    """A scanner that finds a virus in everything (the plugin contract, no network)."""

    verbose_name = "finds a virus"

    def scan(self, content: bytes) -> ScanResult:
        return ScanResult(ScanStatus.INFECTED, signature="Eicar-Test-Signature")


def test_an_infected_attachment_is_refused_and_nothing_is_kept(client, demo, virus_scanner):
    virus_scanner(AlwaysInfected)
    ingrid = citizen()
    case = open_case(demo, ingrid)
    eid_login(client, ingrid)
    clean, infected = io.BytesIO(PNG), io.BytesIO(PNG)
    clean.name, infected.name = "a.png", "b.png"
    response = client.post(
        reverse("cases_mine:case", args=[case.pk]),
        {"body": "To bilder", "attachments": [clean, infected]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“a.png” contains a virus (Eicar-Test-Signature)" in html
    assert "“b.png” contains a virus (Eicar-Test-Signature)" in html  # each file named
    assert "To bilder" in html  # the typed message stays
    assert not case.messages.exists()
    assert case.documents.count() == 1  # neither picture was kept
    refused = AuditEvent.objects.filter(object_label="refused upload", actor=ingrid)
    assert [e.details["case"] for e in refused] == [case.reference] * 2


def test_an_empty_reply_is_refused(client, demo):
    ingrid = citizen()
    case = open_case(demo, ingrid)
    eid_login(client, ingrid)
    response = client.post(reverse("cases_mine:case", args=[case.pk]), {"body": "  "})
    assert response.status_code == 400
    assert not case.messages.exists()


def test_a_closed_case_takes_no_reply(client, demo):
    ingrid = citizen()
    case = open_case(demo, ingrid)
    case_status_move(case=case, to_status="closed", actor=None)
    eid_login(client, ingrid)
    html = client.get(reverse("cases_mine:case", args=[case.pk])).content.decode()
    assert 'name="attachments"' not in html
    response = client.post(reverse("cases_mine:case", args=[case.pk]), {"body": "Hei"})
    assert response.status_code == 400
    assert not case.messages.exists()


def test_the_list_is_paginated_with_a_constant_number_of_queries(client, demo):
    ingrid = citizen()
    eid_login(client, ingrid)
    open_case(demo, ingrid)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases_mine:list")).status_code == 200
        return len(queries)

    one = count_queries()
    for municipality in ("askim", "spydeberg", "eidsberg", "skiptvet", "hobol"):
        open_case(demo, ingrid, municipality=municipality)
    assert count_queries() == one
    for _n in range(20):
        open_case(demo, ingrid)
    response = client.get(reverse("cases_mine:list"))
    assert response.context["page"].paginator.num_pages == 2
    assert client.get(reverse("cases_mine:list") + "?page=2").status_code == 200
