import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_in_chromium_and_is_accessible(page, e2e_demo):
    page.goto("/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_the_citizen_pages_run_under_their_content_security_policy(browser, live_server, e2e_demo):
    """Chromium enforces the policy: the pages load with no violation (htmx, the styles,
    the e-service steps, the API docs' Swagger UI), and an injected inline script is
    refused, which shows the listener hears violations."""
    from tests.e2e.conftest import csp_violations

    context = browser.new_context(locale="nb-NO", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = csp_violations(page)
    for path in [
        "/",
        "/cooperation/",
        "/public-journal/",
        "/e-services/askim/",
        "/e-services/askim/melding-til-kommunen/",
        "/accounts/staff/login/",
        "/api/docs/",
        "/api/docs/swagger/",
        "/no-such-page/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # Swagger UI's own script (inline, with the nonce) ran and drew the API
    page.goto("/api/docs/swagger/")
    page.wait_for_selector(".swagger-ui .info")
    page.goto("/e-services/askim/melding-til-kommunen/")
    page.get_by_role("button", name="Start").first.click()
    page.wait_for_load_state("networkidle")
    assert "/step/0/" in page.url
    assert not violations, "\n".join(violations)

    # the canary: an inline script without the nonce is blocked, and reported
    with pytest.raises(Exception):  # noqa: B017, PT011 - Playwright's error for a refused tag
        page.add_script_tag(content="window.injected = true")
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in v for v in violations), violations
    context.close()
