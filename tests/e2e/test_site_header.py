"""The header in Chromium: after an eID login the citizen reaches My cases (Mine saker)
from the header, on the regional portal and on the e-service pages, by keyboard too;
axe-core checks the pages with the link, on a wide and a narrow screen."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from samvirke.accounts.devidp.persons import BY_KEY

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.e2e
PERSON = BY_KEY["p1"]
MY_CASES = re.compile(r"^(Mine saker|My cases)$")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_a_citizen_reaches_my_cases_from_the_header(page, e2e_demo):
    # given a visitor on the regional portal: no My cases link before logging in
    page.goto("/")
    header = page.locator("header")
    assert header.get_by_role("link", name=MY_CASES).count() == 0
    # when they log in with eID
    page.goto("/accounts/eid/login/?next=/")
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))
    page.get_by_label(re.compile(PERSON.name)).check()
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    page.wait_for_url(re.compile(r"/$"))
    # then the portal's header has the link, in the main menu
    link = page.get_by_role("navigation", name=re.compile("Hovedmeny|Main menu")).get_by_role(
        "link", name=MY_CASES
    )
    assert link.count() == 1 and link.get_attribute("href") == "/my-cases/"
    assert_accessible(page)
    screenshot(page, "header-portal-citizen")
    # and so has an e-service's start page (the platform's own template)
    page.goto("/e-services/askim/byggesoknad/")
    assert header.get_by_role("link", name=MY_CASES).count() == 1
    assert_accessible(page)
    screenshot(page, "header-eservice-start-citizen")
    # following it by keyboard leads to My cases, where the link marks the current page
    header.get_by_role("link", name=MY_CASES).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/my-cases/")
    assert header.get_by_role("link", name=MY_CASES).get_attribute("aria-current") == "page"
    assert_accessible(page)
    screenshot(page, "header-my-cases-current")
    # on a phone-sized screen the link is there and the header still passes axe
    page.set_viewport_size({"width": 375, "height": 800})
    assert header.get_by_role("link", name=MY_CASES).is_visible()
    assert_accessible(page)
    screenshot(page, "header-my-cases-narrow")
