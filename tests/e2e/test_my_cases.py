"""My cases and the public journal in Chromium: a citizen logs in with eID through the
development identity provider, reads the case handler's request for more information,
answers with an attachment and sees the status change; the public journal shows the
entries with screening applied, and an access request is filed from it. axe-core checks
every page, and the same pages work without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from samvirke.accounts.devidp.persons import BY_KEY
from samvirke.accounts.models import User
from samvirke.accounts.services import citizen_login_from_eid
from samvirke.cases.core.selectors import route_for
from samvirke.cases.core.services import case_open
from samvirke.cases.handling.services import message_to_applicant
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import Case, EntryType, ServiceOffering
from samvirke.cases.tests.formdata import PNG

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.e2e
PERSON = BY_KEY["p1"]
# A 1×1 picture "of the street light" (a real PNG: uploads are decoded in full).


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _open(municipality: str, form: str, title: str, applicant=None, protected=()) -> Case:
    offering = ServiceOffering.objects.select_related("form", "case_type").get(
        organisation__slug=municipality, form__slug=form
    )
    case = case_open(
        offering=offering,
        route=route_for(offering, {}),
        title=title,
        protected=list(protected),
        applicant=applicant,
        applicant_name=applicant.full_name if applicant else "",
        applicant_email="ingrid@example.invalid",
        actor=applicant,
    )
    journal_entry_create(
        case=case,
        entry_type=EntryType.INCOMING,
        title=title,
        protected=list(protected),
        parties=[{"role": "sender", "name": case.applicant_name, "kind": "person"}],
        actor=applicant,
    )
    return case


@pytest.fixture
def waiting_case(e2e_demo):
    """Ingrid (test person) reported a broken street light in Askim; the case handler
    asked for a photo. A screened PPT referral from Skiptvet is in today's journal too."""
    ingrid = citizen_login_from_eid(
        provider="dev",
        national_id=PERSON.national_id,
        full_name=PERSON.name,
        acr="idporten-loa-substantial",
    )
    case = _open("askim", "melding-til-kommunen", "Gatelys ute i Storgata", applicant=ingrid)
    message_to_applicant(
        case,
        "Takk for meldingen. Kan du sende oss et bilde av lyktestolpen?",
        User.objects.get(username="askim.saksbehandler"),
        requests_information=True,
    )
    _open(
        "skiptvet",
        "henvisning-ppt",
        "Henvisning til PPT - Mikkel Fiktivsen",
        protected=["Mikkel Fiktivsen"],
    )
    return Case.objects.get(pk=case.pk)


def _log_in(page) -> None:
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))
    page.get_by_label(re.compile(PERSON.name)).check()
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()


def test_citizen_answers_a_request_for_information(page, waiting_case, tmp_path):
    case = waiting_case
    # given a citizen who opens My cases and logs in with eID
    page.goto("/my-cases/")
    _log_in(page)
    page.wait_for_url(re.compile(r"/my-cases/$"))
    main = page.locator("main")
    assert case.reference in main.inner_text()
    assert "Vi venter på svar fra deg" in main.inner_text()
    assert_accessible(page)
    screenshot(page, "my-cases-list")
    # when they open the case, they read the handler's request
    page.get_by_role("link", name="Gatelys ute i Storgata").click()
    page.wait_for_url(re.compile(rf"/my-cases/{case.pk}/$"))
    assert "Kan du sende oss et bilde av lyktestolpen?" in main.inner_text()
    assert_accessible(page)
    screenshot(page, "my-cases-case-waiting")
    # and answer with a photo
    photo = tmp_path / "lyktestolpe.png"
    photo.write_bytes(PNG)
    page.locator("#id_body").fill("Her er bildet av stolpen ved Storgata 5.")
    page.locator("#id_attachments").set_input_files(str(photo))
    with page.expect_navigation():
        page.locator("#reply").get_by_role("button", name=re.compile("^Send")).click()
    # then the case is back in progress, with the answer and the photo
    assert re.search(rf"/my-cases/{case.pk}/(#reply)?$", page.url)
    assert page.get_by_test_id("case-status").inner_text() == "Under behandling"
    assert "Her er bildet av stolpen" in main.inner_text()
    assert "lyktestolpe.png" in main.inner_text()
    assert_accessible(page)
    screenshot(page, "my-cases-case-answered")
    case.refresh_from_db()
    assert case.status == "in_progress" and case.paused_at is None
    # the photo downloads through the checked view
    with page.expect_download() as download:
        page.get_by_role("link", name="lyktestolpe.png").click()
    assert download.value.suggested_filename == "lyktestolpe.png"


def test_public_journal_applies_screening_and_takes_access_requests(page, waiting_case):
    # the municipality's journal: the referral is screened, names and all
    page.goto("/public-journal/skiptvet/")
    main = page.locator("main")
    assert "Henvisning til PPT - *****" in main.inner_text()
    assert "Mikkel" not in page.content() and "Fiktivsen" not in page.content()
    assert_accessible(page)
    screenshot(page, "public-journal-skiptvet")
    # the region's journal, searched by case number: the unscreened report, with its
    # sender (a private person) withheld online as the standard case type says
    page.goto("/public-journal/")
    assert_accessible(page)
    screenshot(page, "public-journal-region")
    page.get_by_label(re.compile("Saksnummer|Case number")).fill(waiting_case.reference)
    page.get_by_role("button", name=re.compile("Søk|Search")).click()
    text = main.inner_text()
    assert "Gatelys ute i Storgata" in text and "Ingrid Testesen" not in text
    assert re.search("Name withheld online|Navn unntatt fra nettpublisering", text)
    assert "Mikkel" not in page.content()
    # request access to the street-light report
    row = page.get_by_test_id("journal-entry").filter(has_text="Gatelys ute i Storgata").first
    row.get_by_role("link", name=re.compile("Be om innsyn|Request access")).click()
    page.wait_for_url(re.compile(r"/request-access/$"))
    requested = page.get_by_test_id("requested-reference").inner_text()
    assert_accessible(page)
    screenshot(page, "access-request-form")
    page.get_by_role("button", name=re.compile("Send")).click()  # no e-mail: an error
    assert page.locator("#error-summary").count() == 1
    assert_accessible(page)
    screenshot(page, "access-request-error")
    page.locator("#id_email").fill("journalist@example.invalid")
    page.get_by_role("button", name=re.compile("Send")).click()
    page.wait_for_url(re.compile(r"/received/$"))
    reference = page.get_by_test_id("access-reference").inner_text()
    filed = Case.objects.get(title=f"Innsynskrav – {requested}")
    assert filed.reference == reference and filed.organisation.slug == "askim"
    assert_accessible(page)
    screenshot(page, "access-request-received")


def test_the_pages_work_without_javascript(nojs_page, waiting_case, tmp_path):
    page = nojs_page
    case = waiting_case
    page.goto("/public-journal/askim/")
    assert "Gatelys ute i Storgata" in page.locator("main").inner_text()
    screenshot(page, "public-journal-askim-nojs")
    row = page.get_by_test_id("journal-entry").filter(has_text="Gatelys ute i Storgata").first
    row.get_by_role("link", name=re.compile("Be om innsyn|Request access")).click()
    page.locator("#id_email").fill("anonym@example.invalid")
    page.get_by_role("button", name=re.compile("Send")).click()
    page.wait_for_url(re.compile(r"/received/$"))
    # My cases: log in and answer without JavaScript
    page.goto("/my-cases/")
    _log_in(page)
    page.wait_for_url(re.compile(r"/my-cases/$"))
    page.get_by_role("link", name="Gatelys ute i Storgata").click()
    photo = tmp_path / "stolpe.png"
    photo.write_bytes(PNG)
    page.locator("#id_body").fill("Bilde vedlagt.")
    page.locator("#id_attachments").set_input_files(str(photo))
    with page.expect_navigation():
        page.locator("#reply").get_by_role("button", name=re.compile("^Send")).click()
    assert page.get_by_test_id("case-status").inner_text() == "Under behandling"
    screenshot(page, "my-cases-case-answered-nojs")
    case.refresh_from_db()
    assert case.status == "in_progress"
