"""The public pages in Chromium: accessible (axe-core, WCAG 2.1 AA), and usable with
JavaScript switched off, including the choice of language."""

import pytest

from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_is_accessible(page, e2e_demo):
    page.goto("/")

    assert page.locator("h1").inner_text() == "Smaalensveven – Indre Østfold"
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("table tbody tr").count() == 10
    assert page.locator('nav a[aria-current="page"]').first.get_attribute("href") == "/"
    assert_accessible(page)
    screenshot(page, "public-home")


def test_home_page_on_a_phone_is_accessible(browser, live_server, e2e_demo):
    context = browser.new_context(
        locale="nb-NO", base_url=live_server.url, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    try:
        page.goto("/")
        assert_accessible(page)
        screenshot(page, "public-home-phone")
    finally:
        context.close()


def test_skip_link_is_first_and_visible_on_focus(page, e2e_demo):
    page.goto("/")
    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    assert focused.is_visible()
    screenshot(page, "public-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_accessibility_statement_is_accessible(page, e2e_demo):
    page.goto("/accessibility/")

    assert page.title().endswith("– Samvirke")
    assert page.locator('footer a[aria-current="page"]').get_attribute("href") == "/accessibility/"
    assert page.get_by_text("Tilsynet for universell utforming av ikt").count() == 1
    assert_accessible(page)
    screenshot(page, "public-accessibility")


def test_privacy_page_is_accessible(page, e2e_demo):
    page.goto("/privacy/")

    assert page.locator("h1").count() == 1
    assert_accessible(page)
    screenshot(page, "public-privacy")


def test_404_page_is_accessible(page, e2e_demo):
    response = page.goto("/finnes-ikke/")

    assert response.status == 404
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    screenshot(page, "public-404")


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/", "/finnes-ikke/"])
def test_pages_show_their_content_without_javascript(nojs_page, e2e_demo, path):
    nojs_page.goto(path)

    assert nojs_page.locator("h1").is_visible()
    assert nojs_page.locator("main").inner_text().strip()
    assert nojs_page.locator("footer").is_visible()


def test_language_switch_works_without_javascript(nojs_page, e2e_demo):
    nojs_page.goto("/privacy/")
    assert nojs_page.locator("html").get_attribute("lang") == "nb"

    nojs_page.select_option("#language-select", "en")
    nojs_page.locator("form.language-switcher button[type=submit]").click()

    nojs_page.wait_for_load_state()
    assert nojs_page.url.endswith("/privacy/")
    assert nojs_page.locator("html").get_attribute("lang") == "en"
    cookies = {c["name"]: c["value"] for c in nojs_page.context.cookies()}
    assert cookies["django_language"] == "en"
    screenshot(nojs_page, "public-privacy-en-nojs")

    nojs_page.select_option("#language-select", "sv")
    nojs_page.locator("form.language-switcher button[type=submit]").click()
    nojs_page.wait_for_load_state()
    assert nojs_page.locator("html").get_attribute("lang") == "sv"
    assert nojs_page.url.endswith("/privacy/")
