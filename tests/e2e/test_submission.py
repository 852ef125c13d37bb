"""A citizen submits e-services in Chromium: logs in with eID through the development
identity provider, fills in the message form with a photo, checks the answers, sends,
sees the receipt with the case number and downloads the receipt PDF. axe-core checks the
start, step, review and receipt pages. The same works with JavaScript off, for an
anonymous visitor, including a refused upload that keeps the other answers (axe-core
needs JavaScript, so the accessibility checks run in the first test)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from samvirke.accounts.devidp.persons import BY_KEY
from samvirke.cases.models import Submission
from samvirke.cases.tests.formdata import PNG

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.e2e
PERSON = BY_KEY["p1"]
START = "/e-services/askim/melding-til-kommunen/"
NEXT = re.compile(r"^(Next|Neste)$")
SEND = re.compile(r"^(Send|Send inn)$")
SLOW = 60_000  # sending renders the submitted form to PDF/A


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _write_the_message(page, tmp_path, photo: bytes = PNG, name: str = "hull.png"):
    page.get_by_label(re.compile("^Emne")).fill("Hull i veien ved skolen")
    page.get_by_label("Spørsmål").check()
    page.get_by_label(re.compile("^Melding")).fill("Det er et dypt hull i veien ved Askim skole.")
    path = tmp_path / name
    path.write_bytes(photo)
    page.get_by_label(re.compile("^Bilde")).set_input_files(str(path))


def test_citizen_submits_the_message_form_with_a_photo_and_gets_the_receipt(
    page, e2e_demo, tmp_path
):
    # given a citizen who logs in with eID on the way to the e-service
    page.goto(f"/accounts/eid/login/?next={START}")
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))
    page.get_by_label(re.compile(PERSON.name)).check()
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    page.wait_for_url(re.compile(re.escape(START) + "$"))
    # the start page says what the service is and what it needs
    assert page.get_by_role("heading", level=1).inner_text() == "Melding til kommunen"
    assert_accessible(page)
    screenshot(page, "submission-start")
    page.get_by_role("button", name="Start").click()
    # step 1: the message and a photo
    page.wait_for_url(re.compile(r"/step/0/$"))
    _write_the_message(page, tmp_path)
    assert_accessible(page)
    screenshot(page, "submission-step-1")
    page.get_by_role("button", name=NEXT).click()
    # step 2: wanting a reply shows the contact questions, the name filled in from eID
    page.wait_for_url(re.compile(r"/step/1/$"))
    page.get_by_label("Ja").check()
    page.get_by_role("button", name=NEXT).click()
    assert page.get_by_label(re.compile("^Navn")).input_value() == PERSON.name
    page.get_by_label(re.compile("^E-post")).fill("ingrid.testesen@example.invalid")
    assert_accessible(page)
    page.get_by_role("button", name=NEXT).click()
    # the review page lists every answer, the photo included
    page.wait_for_url(re.compile(r"/review/$"))
    review = page.locator("main").inner_text()
    assert "Hull i veien ved skolen" in review and "hull.png" in review
    assert_accessible(page)
    screenshot(page, "submission-review")
    page.get_by_role("button", name=SEND).click(timeout=SLOW)
    # the receipt: the case number, a PDF to download, an e-mail with only a link
    page.wait_for_url(re.compile(r"/e-services/receipts/"), timeout=SLOW)
    reference = page.get_by_test_id("case-reference").inner_text()
    submission = Submission.objects.select_related("case").get(case__isnull=False)
    assert reference == submission.case.reference
    assert submission.applicant.full_name == PERSON.name
    assert_accessible(page)
    screenshot(page, "submission-receipt")
    with page.expect_download(timeout=SLOW) as download:
        page.get_by_role("link", name=re.compile("receipt|kvittering", re.I)).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    [message] = [
        m
        for m in mail.outbox
        if reference in m.body and m.to == ["ingrid.testesen@example.invalid"]
    ]
    assert message.to == ["ingrid.testesen@example.invalid"]
    assert PERSON.name not in message.body
    # going back and sending again gives the same receipt, not a second case
    page.go_back()
    page.wait_for_url(re.compile(r"/e-services/"))
    assert Submission.objects.count() == 1


def test_an_anonymous_visitor_submits_without_javascript(nojs_page, e2e_demo, tmp_path):
    page = nojs_page
    page.goto(START)
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/step/0/$"))
    assert page.locator("#scan-notice").count() == 1  # no virus scan: said plainly
    # a "photo" that is really a program is refused; the text typed stays
    _write_the_message(page, tmp_path, photo=b"MZ\x90\x00" + b"\x00" * 300, name="bilde.png")
    with page.expect_navigation():
        page.get_by_role("button", name=NEXT).click()
    summary = page.locator(".ds-error-summary")
    assert summary.count() == 1
    assert summary.get_by_role("link").first.get_attribute("href") == "#field-photo"
    assert page.get_by_label(re.compile("^Emne")).input_value() == "Hull i veien ved skolen"
    screenshot(page, "submission-refused-upload")  # axe needs JavaScript: checked above
    # a real photo is taken
    path = tmp_path / "hull.png"
    path.write_bytes(PNG)
    page.get_by_label(re.compile("^Bilde")).set_input_files(str(path))
    page.get_by_role("button", name=NEXT).click()
    page.wait_for_url(re.compile(r"/step/1/$"))
    page.get_by_label("Nei").check()
    page.get_by_role("button", name=NEXT).click()
    page.wait_for_url(re.compile(r"/review/$"))
    page.get_by_role("button", name=SEND).click(timeout=SLOW)
    page.wait_for_url(re.compile(r"/e-services/receipts/"), timeout=SLOW)
    reference = page.get_by_test_id("case-reference").inner_text()
    assert re.fullmatch(r"\d{4}/\d{5}", reference)
    submission = Submission.objects.get()
    assert submission.applicant is None
    journalled = submission.case.journal_entries.get().documents.all()
    assert "hull.png" in {d.name for d in journalled}
