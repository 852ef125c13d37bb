"""Browser tests: Playwright driving the system's Chromium against a live server, with
axe-core (from the npm registry) for accessibility checks."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"

# Playwright's sync API runs an event loop; Django must allow ORM use from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium is not installed: `make test` installs the Debian package chromium.")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


def csp_violations(page) -> list[str]:
    """Collects, from now on, what the browser reports as blocked by the page's
    Content-Security-Policy (console errors and `securitypolicyviolation` events)."""
    found: list[str] = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return found


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (own cookies) in Norwegian, on the live server. A test
    fails if the browser blocks anything under the Content-Security-Policy."""
    context = browser.new_context(locale="nb-NO", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = csp_violations(page)
    yield page
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def nojs_page(browser, live_server):
    """The same with JavaScript switched off: citizen pages must work without it."""
    context = browser.new_context(
        locale="nb-NO", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Runs axe-core (WCAG 2.1 A and AA rules) on the page; returns the violations of the
    given impacts, each with the offending elements."""
    # evaluated over the DevTools protocol: an injected <script> would (rightly) be
    # refused by the Content-Security-Policy, which allows no inline script without nonce
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
              runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
           })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def e2e_demo(transactional_db):
    """The demo region in the live server's database; the root conftest puts it back as it
    was after each browser test."""
    from django.core.management import call_command

    from samvirke.organisations.models import Organisation

    if not Organisation.objects.filter(slug="askim").exists():
        call_command("seed_demo", verbosity=0)
