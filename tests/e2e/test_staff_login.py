"""A staff member logs in with password and TOTP in Chromium and lands in the back
office; the login, code and lockout pages pass axe-core."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from samvirke.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.e2e


def current_code() -> str:
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"


def test_admin_logs_in_with_password_and_totp(page, e2e_demo):
    # given the staff login page, reached from the header
    page.goto("/")
    page.locator("header").get_by_role(
        "link", name=re.compile("staff|ansatte", re.IGNORECASE)
    ).click()
    page.wait_for_url(re.compile(r"/accounts/staff/login/"))
    assert_accessible(page)
    screenshot(page, "staff-login")

    # when the administrator gives their password
    page.get_by_label(re.compile("User name|Brukernavn")).fill("askim.admin")
    page.get_by_label(re.compile("Password|Passord")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()

    # then they are asked for the code from their authenticator app
    page.wait_for_url(re.compile(r"/accounts/staff/login/code/"))
    assert_accessible(page)
    screenshot(page, "staff-login-code")

    # when they type a wrong code, the error summary says so and the page stays accessible
    wrong = f"{(int(current_code()) + 500_000) % 1_000_000:06d}"
    page.locator("#id_code").fill(wrong)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Continue|Fortsett")).click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    # and with the right code (after django-otp's short pause) they land in the back office
    page.wait_for_timeout(1_200)
    page.locator("#id_code").fill(current_code())
    page.get_by_role("button", name=re.compile("Continue|Fortsett")).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("#wagtail-sidebar").count() == 1
    screenshot(page, "staff-back-office")


def test_lockout_page_after_five_wrong_passwords(page, e2e_demo):
    page.goto("/accounts/staff/login/")
    for _attempt in range(5):
        page.locator("#id_username").fill("askim.redaktor")
        page.locator("#id_password").fill("wrong-password")
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    assert page.locator("h1").inner_text() in (
        "Too many failed attempts",
        "For mange mislykkede forsøk",
    )
    assert (
        page.get_by_role(
            "link", name=re.compile("reset your password|tilbakestill", re.IGNORECASE)
        ).count()
        == 1
    )
    assert_accessible(page)
    screenshot(page, "staff-lockout")


def test_the_login_works_without_javascript(nojs_page, e2e_demo):
    page = nojs_page
    page.goto("/accounts/staff/login/")
    page.locator("#id_username").fill("askim.saksbehandler")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    page.wait_for_url(re.compile(r"/admin/"))


def test_admin_without_authenticator_sets_one_up(page, e2e_demo):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samvirke.accounts.models import User

    TOTPDevice.objects.filter(user__username="spydeberg.admin").delete()
    page.goto("/accounts/staff/login/")
    page.locator("#id_username").fill("spydeberg.admin")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    page.wait_for_url(re.compile(r"/accounts/staff/login/authenticator/"))
    assert page.locator(".qr-code svg").count() == 1
    assert_accessible(page)
    screenshot(page, "staff-enrol")

    device = TOTPDevice.objects.get(user=User.objects.get(username="spydeberg.admin"))
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    page.locator("#id_code").fill(f"{code:06d}")
    page.get_by_role("button", name=re.compile("Confirm|Bekreft")).click()
    page.wait_for_url(re.compile(r"/admin/$"))
