"""Access requests (innsynskrav) from the public journal: a small form files a case in
the entry's owning municipality, on its offering of the innsyn form, with an incoming
journal entry holding the request as PDF/A; anonymous requests are allowed; a double
post files one case; the receipt e-mail carries no personal content; a municipality
without the service tells how to ask instead."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samvirke.accounts.tests.factories import citizen, eid_login
from samvirke.cases import demo as cases_demo
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import Case, EntryType, MessageDirection, ServiceOffering
from samvirke.cases.public_journal.services import ACCESS_FORM_SLUG
from samvirke.cases.tests.factories import (
    MINIMAL_INNSYN,
    access_request_post,
    access_request_url,
    open_case,
)
from samvirke.eservices import services as form_services
from samvirke.eservices.models import FormDefinition
from samvirke.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def innsyn(demo):
    """Every municipality's offering of the regional innsyn form (the library ships it;
    should it not yet, a minimal one is imported and switched on like the demo does)."""
    if not FormDefinition.objects.filter(slug=ACCESS_FORM_SLUG).exists():
        form_services.form_import(actor=None, document=MINIMAL_INNSYN, publish=True)
        cases_demo.load()
    return {
        o.organisation.slug: o
        for o in ServiceOffering.objects.filter(form__slug=ACCESS_FORM_SLUG).select_related(
            "organisation"
        )
    }


@pytest.fixture
def entry(demo):
    """An unscreened incoming entry in Skiptvet's journal."""
    case = open_case(
        demo, citizen("p2"), municipality="skiptvet", title="Søknad om skjenkebevilling"
    )
    return case.journal_entries.get()


def test_the_form_names_the_document(client, innsyn, entry):
    response = client.get(access_request_url(entry), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert entry.reference in html and "Søknad om skjenkebevilling" in html
    assert 'name="email"' in html and 'name="key"' in html
    assert '<label class="ds-label" for="id_email">' in html


def test_a_request_files_a_case_in_the_owning_municipality(
    client, demo, innsyn, entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = access_request_post(
            client,
            entry,
            name="Jonas Eksempelberg",
            email="jonas@example.invalid",
            message="Jeg vil gjerne ha dokumentet på e-post.",
        )
    assert response.status_code == 302
    case = Case.objects.get(title=f"Innsynskrav – {entry.reference}")
    assert case.organisation == demo.org["skiptvet"]  # the entry's owner
    assert case.offering == innsyn["skiptvet"]
    assert case.applicant is None and case.applicant_email == "jonas@example.invalid"
    incoming = case.journal_entries.get()
    assert incoming.entry_type == EntryType.INCOMING
    assert incoming.parties == [{"role": "sender", "name": "Jonas Eksempelberg", "kind": "person"}]
    document = incoming.documents.get()
    assert document.is_pdfa and document.content_type == "application/pdf"
    message = case.messages.get()
    assert message.direction == MessageDirection.FROM_APPLICANT
    assert entry.reference in message.body and "på e-post" in message.body
    # the confirmation page, for this browser only
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and case.reference in page.content.decode()
    assert Client().get(response["Location"]).status_code == 404
    # the receipt carries the reference and nothing personal
    receipts = [m for m in mail.outbox if m.to == ["jonas@example.invalid"]]
    assert len(receipts) == 1
    receipt = receipts[0]
    assert case.reference in receipt.subject + receipt.body
    for personal in ("Jonas", "Eksempelberg", "på e-post", "skjenkebevilling"):
        assert personal not in receipt.subject + receipt.body
    sent = Notification.objects.filter(reference=str(case.pk), purpose__startswith="cases.access")
    assert sorted(n.purpose for n in sent) == ["cases.access_notice", "cases.access_receipt"]


def test_an_anonymous_request_is_allowed(client, innsyn, entry):
    response = access_request_post(client, entry, email="anonym@example.invalid")
    assert response.status_code == 302
    case = Case.objects.get(title=f"Innsynskrav – {entry.reference}")
    assert case.applicant_name == ""
    assert case.journal_entries.get().parties == []


def test_a_double_post_files_one_case(client, innsyn, entry):
    key = str(uuid.uuid4())
    first = access_request_post(client, entry, email="a@example.invalid", key=key)
    second = access_request_post(client, entry, email="a@example.invalid", key=key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.filter(title=f"Innsynskrav – {entry.reference}").count() == 1


def test_an_email_address_is_needed_and_the_rest_is_kept(client, innsyn, entry):
    response = access_request_post(client, entry, name="Kari", message="Min melding")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in html and 'href="#id_email"' in html
    assert "Min melding" in html and 'value="Kari"' in html
    assert not Case.objects.filter(title=f"Innsynskrav – {entry.reference}").exists()


def test_a_logged_in_citizen_finds_the_request_in_my_cases(client, innsyn, entry):
    fatima = citizen("p3")
    eid_login(client, fatima)
    assert access_request_post(client, entry, email="fatima@example.invalid").status_code == 302
    case = Case.objects.get(title=f"Innsynskrav – {entry.reference}")
    assert case.applicant == fatima
    assert case.reference in client.get(reverse("cases_mine:list")).content.decode()


def test_without_the_service_the_page_says_how_to_ask(client, demo, innsyn, entry):
    ServiceOffering.objects.filter(
        organisation=demo.org["skiptvet"], form__slug=ACCESS_FORM_SLUG
    ).update(is_active=False)
    skiptvet = demo.org["skiptvet"]
    skiptvet.email = "postmottak@skiptvet.example.invalid"
    skiptvet.save()
    html = client.get(access_request_url(entry), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "does not take access requests online" in html
    assert "postmottak@skiptvet.example.invalid" in html and entry.reference in html
    assert 'name="email"' not in html
    access_request_post(client, entry, email="x@example.invalid")
    assert not Case.objects.filter(title=f"Innsynskrav – {entry.reference}").exists()


def test_internal_notes_cannot_be_requested_through_the_journal(client, innsyn, entry):
    note = journal_entry_create(case=entry.case, entry_type=EntryType.NOTE, title="Notat")
    assert client.get(access_request_url(note)).status_code == 404
    assert client.get(reverse("cases_journal:access-request", args=[999_999])).status_code == 404
