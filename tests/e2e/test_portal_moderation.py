"""Moderation end to end in Chromium: Askim's editor logs in, writes a page in Askim's
tree in the back office and submits it for review; the portal reviewer approves it; the
page is then on Askim's site only (404 on Spydeberg's site and on the regional portal).
And a regional article shared with chosen municipalities shows on each of their sites."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp

from samvirke.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def host_url(live_server, host: str) -> str:
    return f"http://{host}:{urlsplit(live_server.url).port}"


def staff_page(browser, live_server, username: str):
    """A browser context of its own, logged in as a staff user (password, then the TOTP
    code where the user has a second factor), on the back office."""
    context = browser.new_context(locale="nb-NO", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/accounts/staff/login/")
    page.get_by_label(re.compile("User name|Brukernavn")).fill(username)
    page.get_by_label(re.compile("Password|Passord")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()
    page.wait_for_url(re.compile(r"/admin/$|/accounts/staff/login/code/"))
    if "/code/" in page.url:
        page.locator("#id_code").fill(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
        page.get_by_role("button", name=re.compile("Continue|Fortsett")).click()
        page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


def open_action_menu(page) -> None:
    """The page editor's footer: the main action and a drop-down with the others."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def test_editor_writes_reviewer_approves_page_shows_on_askim_only(browser, live_server, e2e_demo):
    from samvirke.audit.models import AuditEvent
    from samvirke.portal.models import HomePage, StandardPage

    askim_home = HomePage.objects.get(organisation__slug="askim", locale__language_code="nb")

    # Askim's editor writes a page under Askim's home page and submits it for review
    context, editor = staff_page(browser, live_server, "askim.redaktor")
    editor.goto(f"/admin/pages/add/portal/standardpage/{askim_home.pk}/")
    editor.locator("#id_title").fill("Vinterbrøyting i Askim")
    editor.locator("#id_lead").fill("Slik brøyter vi kommunale veier. Demo: oppdiktet testside.")
    editor.locator("#id_title").press("Tab")  # the slug follows the title
    screenshot(editor, "portal-moderation-editor-writes")
    open_action_menu(editor)
    editor.locator("button[name='action-submit']").click()
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/edit/|/admin/pages/\d+/$"))
    screenshot(editor, "portal-moderation-submitted")
    context.close()

    page = StandardPage.objects.get(title="Vinterbrøyting i Askim")
    assert page.is_descendant_of(askim_home)
    assert not page.live
    assert page.current_workflow_state is not None

    # not public before it is approved
    anonymous = browser.new_context(locale="nb-NO")
    visitor = anonymous.new_page()
    askim = host_url(live_server, "askim.localhost")
    response = visitor.goto(f"{askim}/{page.slug}/")
    assert response.status == 404

    # the portal reviewer approves it from the page editor, which publishes it
    context, reviewer = staff_page(browser, live_server, "region.godkjenner")
    reviewer.goto(f"/admin/pages/{page.pk}/edit/")
    screenshot(reviewer, "portal-moderation-reviewer")
    open_action_menu(reviewer)
    reviewer.locator(
        "[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    reviewer.wait_for_load_state()
    reviewer.wait_for_url(re.compile(r"/admin/"))
    screenshot(reviewer, "portal-moderation-approved")
    context.close()

    page.refresh_from_db()
    assert page.live
    assert AuditEvent.objects.filter(
        object_type="wagtailcore.page", object_id=str(page.pk), details__event="approve"
    ).exists()

    # on Askim's site, accessible; not on Spydeberg's nor on the regional portal
    response = visitor.goto(f"{askim}/{page.slug}/")
    assert response.status == 200
    assert visitor.locator("h1").inner_text() == "Vinterbrøyting i Askim"
    assert_accessible(visitor)
    screenshot(visitor, "portal-moderation-published-askim")
    for host in ("spydeberg.localhost", "localhost"):
        response = visitor.goto(f"{host_url(live_server, host)}/{page.slug}/")
        assert response.status == 404, host
    anonymous.close()


def test_shared_regional_article_appears_on_every_site_it_is_shared_to(page, live_server, e2e_demo):
    from samvirke.portal.models import NewsArticlePage

    article = NewsArticlePage.objects.get(
        title="Felles PPT-kontor flytter", locale__language_code="nb"
    )
    for slug in ("spydeberg", "skiptvet", "hobol"):
        base = host_url(live_server, f"{slug}.localhost")
        page.goto(base + "/nyheter/")
        page.get_by_role("link", name="Felles PPT-kontor flytter").click()
        page.wait_for_load_state()
        assert urlsplit(page.url).hostname == f"{slug}.localhost"
        assert urlsplit(page.url).path == f"/from-the-region/{article.pk}/"
        assert page.locator("h1").inner_text() == "Felles PPT-kontor flytter"
        assert page.locator("link[rel=canonical]").get_attribute("href") == (
            host_url(live_server, "localhost") + "/nyheter/nyhet-2/"
        )
        assert_accessible(page)
        screenshot(page, f"portal-shared-article-{slug}")
    for slug in ("askim", "marker"):
        base = host_url(live_server, f"{slug}.localhost")
        page.goto(base + "/nyheter/")
        assert page.get_by_role("link", name="Felles PPT-kontor flytter").count() == 0
        response = page.goto(f"{base}/from-the-region/{article.pk}/")
        assert response.status == 404
