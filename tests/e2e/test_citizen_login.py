"""A citizen logs in with eID in Chromium: through the development identity provider,
over real HTTP between the relying party and the IdP on the live server."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils.translation import gettext, override

from samvirke.accounts.devidp.persons import BY_KEY

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.e2e
PERSON = BY_KEY["p2"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_citizen_logs_in_and_out_with_the_dev_idp(page, e2e_demo, live_server):
    # given a citizen on the front page
    page.goto("/")
    page.get_by_role("link", name=re.compile("eID")).first.click()
    # the dev IdP's login page: test persons, marked as test data
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))
    with override("nb"):
        assert gettext("TEST DATA") in page.content()
    assert_accessible(page)
    screenshot(page, "eid-dev-idp-login")
    # when they choose a test person and log in
    page.get_by_label(re.compile(PERSON.name)).check()
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    # then they land on their profile, logged in, with a masked number
    page.wait_for_url(re.compile(r"/accounts/eid/profile/"))
    assert PERSON.name in page.locator("header").inner_text()
    assert PERSON.name in page.locator("main").inner_text()
    assert f"{PERSON.national_id[:6]} *****" in page.content()
    assert PERSON.national_id not in page.content()
    assert_accessible(page)
    screenshot(page, "eid-profile")
    # and logging out ends the session here and at the IdP, and returns to the site
    page.locator("main").get_by_role("button", name=re.compile("Log out|Logg ut")).click()
    page.wait_for_url(live_server.url + "/")
    assert PERSON.name not in page.locator("header").inner_text()
    page.goto("/accounts/eid/profile/")
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))  # asked to log in again


def test_refused_login_shows_an_accessible_error_page(page, e2e_demo):
    # the service needs high; the citizen logs in with substantial
    page.goto("/accounts/eid/login/?level=high")
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))
    page.get_by_label(re.compile(PERSON.name)).check()
    page.locator("#level-substantial").check()
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    page.wait_for_url(re.compile(r"/accounts/eid/callback/"))
    assert "level_too_low" in page.content()
    assert page.get_by_role("alert").count() >= 1
    assert_accessible(page)
    screenshot(page, "eid-error")
    # try again leads back to the IdP, asking for high
    page.get_by_role("link", name=re.compile("Try again|Prøv igjen")).click()
    page.wait_for_url(re.compile(r"acr_values=idporten-loa-high"))


def test_provider_choice_page_is_accessible(page, e2e_demo, monkeypatch):
    monkeypatch.setenv("SAMVIRKE_OIDC_PROVIDERS", "idporten")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_ISSUER", "https://idporten.invalid/")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_CLIENT_ID", "samvirke")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_CLIENT_SECRET", "not-used")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_LABEL", "ID-porten")
    page.goto("/accounts/eid/login/")
    assert page.get_by_role("link", name="ID-porten").count() == 1
    assert_accessible(page)
    screenshot(page, "eid-choose-provider")
    page.get_by_role("link", name=re.compile("Test identity provider|test")).click()
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))


def test_login_works_without_javascript(nojs_page, e2e_demo):
    page = nojs_page
    page.goto("/accounts/eid/login/")
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))
    page.get_by_label(re.compile(PERSON.name)).check()
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    page.wait_for_url(re.compile(r"/accounts/eid/profile/"))
    assert PERSON.name in page.locator("main").inner_text()
    # without JavaScript the hand-over to the IdP's logout is a button
    page.locator("main").get_by_role("button", name=re.compile("Log out|Logg ut")).click()
    page.locator("#eid-end-session button").click()
    page.wait_for_url(re.compile(r"/$"))
    assert PERSON.name not in page.locator("header").inner_text()
