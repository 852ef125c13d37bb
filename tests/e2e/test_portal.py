"""The regional portal and a municipal site in Chromium: host routing by name
(Chromium resolves *.localhost to loopback), accessibility (axe-core, WCAG 2.1 AA) on
home, article, service and contact pages, and the same pages without JavaScript."""

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("home", "/"),
    ("article", "/nyheter/nyhet-1/"),
    ("service", "/tjenester/byggesoknad/"),
    ("contact", "/kontakt/"),
]


def host_url(live_server, host: str) -> str:
    port = urlsplit(live_server.url).port
    return f"http://{host}:{port}"


def test_regional_portal_walk_is_accessible(page, live_server, e2e_demo):
    base = host_url(live_server, "localhost")
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Smaalensveven – Indre Østfold"
    assert_accessible(page)
    screenshot(page, "portal-region-home")

    page.goto(base + "/nyheter/nyhet-1/")
    assert page.locator("h1").inner_text() == "Bredbånd til alle 36 skoler"
    assert_accessible(page)
    screenshot(page, "portal-region-article")

    # from the member table to Askim's own site, on its own host name
    page.goto(base + "/")
    page.get_by_role("link", name="Askim kommune").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).hostname == "askim.localhost"
    assert page.locator("h1").inner_text() == "Askim kommune"


def test_municipal_site_walk_is_accessible(page, live_server, e2e_demo):
    base = host_url(live_server, "askim.localhost")
    for name, path in PAGES:
        page.goto(base + path)
        assert page.locator("h1").count() == 1
        assert page.locator("html").get_attribute("lang") == "nb"
        assert "Askim kommune" in page.locator("header").inner_text()
        assert_accessible(page)
        screenshot(page, f"portal-askim-{name}")

    # a regional article shared with every municipality opens on Askim's host
    page.goto(base + "/")
    page.get_by_role("link", name="Bredbånd til alle 36 skoler").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).hostname == "askim.localhost"
    assert "/from-the-region/" in page.url
    assert_accessible(page)
    screenshot(page, "portal-askim-shared-article")


def test_site_search_works_without_javascript(nojs_page, live_server, e2e_demo):
    nojs_page.goto(host_url(live_server, "localhost") + "/")
    nojs_page.fill("#home-search", "barnehageplass")
    nojs_page.locator("form[role=search] button[type=submit]").click()
    nojs_page.wait_for_load_state()

    results = nojs_page.locator("main ol li")
    assert results.count() >= 10  # one service page per municipality
    assert "Askim kommune" in nojs_page.locator("main").inner_text()
    screenshot(nojs_page, "portal-region-search-nojs")


def test_municipal_pages_work_without_javascript(nojs_page, live_server, e2e_demo):
    base = host_url(live_server, "askim.localhost")
    for name, path in PAGES:
        nojs_page.goto(base + path)

        assert nojs_page.locator("h1").is_visible(), name
        assert nojs_page.locator("main").inner_text().strip()
        assert nojs_page.locator("footer").is_visible()
        screenshot(nojs_page, f"portal-askim-{name}-nojs")


def test_language_switcher_keeps_the_page_and_translations_are_accessible(
    page, live_server, e2e_demo
):
    base = host_url(live_server, "askim.localhost")
    page.goto(base + "/tjenester/byggesoknad/")
    assert (
        page.locator("link[hreflang='en']")
        .get_attribute("href")
        .endswith("/en/tjenester/byggesoknad/")
    )

    # English: the translation of the same page, in English throughout
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Bytt språk").click()
    page.wait_for_url(re.compile(r"/en/tjenester/byggesoknad/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Building application"
    assert_accessible(page)
    screenshot(page, "portal-askim-service-en")

    # Swedish: no translation, so the bokmål page with a Swedish interface
    page.select_option("#language-select", "sv")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url(re.compile(r"askim\.localhost:\d+/tjenester/byggesoknad/$"))
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Byggesøknad"
    assert page.locator("h1").get_attribute("lang") == "nb"
    assert_accessible(page)
    screenshot(page, "portal-askim-service-nb-in-sv")

    # the translated home pages, English and nynorsk, pass axe too
    for path, name in [("/en/", "en"), ("/nn/", "nn")]:
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == name
        assert_accessible(page)
        screenshot(page, f"portal-askim-home-{name}")
    page.goto(host_url(live_server, "localhost") + "/en/")
    assert page.locator("h1").inner_text() == "Smaalensveven – Indre Østfold"
    assert_accessible(page)
    screenshot(page, "portal-region-home-en")
