"""A case handler in Chromium: logs in with password and a code from the authenticator,
opens the case inbox, opens a demo case, asks the applicant for more information (the
deadline pauses), moves the case on when the answer is in, decides, and downloads the
decision letter (a PDF/A)."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect
from pypdf import PdfReader

from samvirke.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.e2e

HANDLER = "askim.saksbehandler"


def serious_violations_in_main(page) -> list[dict]:
    """axe-core's serious and critical findings inside our content (Wagtail's own
    menu and header are Wagtail's to fix)."""
    return [
        v
        for v in axe_violations(page)
        if any("#main" in str(n) or "nice-padding" in str(n) for n in v["nodes"])
    ]


def log_in_with_code(page) -> None:
    page.goto("/accounts/staff/login/")
    page.locator("#id_username").fill(HANDLER)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    page.wait_for_url(re.compile(r"/accounts/staff/login/code/"))
    page.locator("#id_code").fill(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
    page.get_by_role("button", name=re.compile("Continue|Fortsett")).click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_handler_asks_for_information_decides_and_reads_the_letter(page, e2e_demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samvirke.accounts.models import User
    from samvirke.cases.models import Case

    # given a handler with an authenticator app, and a fault report in Askim's demo cases
    handler = User.objects.get(username=HANDLER)
    TOTPDevice.objects.get_or_create(
        user=handler, name="Demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    case = Case.objects.get(organisation__slug="askim", title__startswith="Feilmelding: gatelys")
    assert case.status == "received"

    log_in_with_code(page)

    # the inbox, from the menu: the overdue demo case says so in words
    page.get_by_role("link", name=re.compile("Case inbox|Saksinnboks")).first.click()
    page.wait_for_url(re.compile(r"/admin/cases/$"))
    inbox = page.locator("table.samvirke-inbox")
    expect(inbox).to_be_visible()
    expect(inbox.locator("tr.samvirke-row--overdue").first).to_contain_text(
        re.compile("Overdue|over fristen")
    )
    assert serious_violations_in_main(page) == []
    screenshot(page, "case-inbox")

    # search by the case number and open it
    page.locator("#id_q").fill(case.reference)
    page.get_by_role("button", name=re.compile("Show cases|Vis saker")).click()
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(re.compile(rf"/admin/cases/{case.pk}/$"))
    expect(page.locator("h1")).to_contain_text(case.reference)
    screenshot(page, "case-page")

    # ask for more information: the deadline pauses
    page.get_by_role("button", name=re.compile("Take the case|Ta saken")).click()
    page.locator("#id_message-body").fill("Hvilken lyktestolpe gjelder det? Send gjerne et bilde.")
    page.locator("#id_message-requests_information").check()
    page.get_by_role("button", name=re.compile("Send to the applicant|Send til søkeren")).click()
    expect(page.locator(".samvirke-deadline--paused").first).to_be_visible()
    expect(page.locator("article.samvirke-message--out")).to_contain_text("lyktestolpe")
    case.refresh_from_db()
    assert case.status == "awaiting_information"

    # the applicant's answer is in (My cases moves the case on; here, the status form)
    page.locator("#id_status-status").select_option("in_progress")
    with page.expect_navigation():
        page.locator("#status").get_by_role("button").click()
    case.refresh_from_db()
    assert case.status == "in_progress" and case.paused_at is None

    # decide: the letter is made and can be read
    page.locator('input[name="decide-outcome"][value="granted"]').check()
    page.locator("#id_decide-text").fill("Lyktestolpen ved stasjonen repareres innen to uker.")
    # (rendering the PDF/A letter takes a few seconds on a busy machine)
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name=re.compile("Make the decision|Fatt vedtak")).click()
    letter_link = page.get_by_role("link", name=re.compile("Decision letter|Vedtaksbrev"))
    expect(letter_link).to_be_visible()
    assert serious_violations_in_main(page) == []
    screenshot(page, "case-page-decided")
    with page.expect_download() as download:
        letter_link.click()
    reader = PdfReader(download.value.path())
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="2"' in metadata
    assert case.reference in reader.pages[0].extract_text()
    case.refresh_from_db()
    assert case.status == "decided" and case.decision.letter.is_pdfa
