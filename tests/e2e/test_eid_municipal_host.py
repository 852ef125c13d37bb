"""eID on a municipal host in Chromium: a citizen on Askim's portal (`askim.localhost`,
which Chromium resolves to loopback) logs in through the one development IdP at the main
host, steps up from substantial to high in the same browser session, and logs out, which
ends the IdP's own session too. The relying party's server-side calls go to the IdP's
internal URL (127.0.0.1), never through the portal's host name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from samvirke.accounts.devidp.persons import BY_KEY

from .conftest import screenshot

pytestmark = pytest.mark.e2e
PERSON = BY_KEY["p2"]


def host_url(live_server, host: str) -> str:
    return f"http://{host}:{urlsplit(live_server.url).port}"


@pytest.fixture
def one_idp(live_server, settings):
    """The IdP pinned to the main host, reached by the server at 127.0.0.1."""
    cache.clear()
    settings.SAMVIRKE_OIDC_DEV_ISSUER = host_url(live_server, "localhost") + "/dev-idp/"
    settings.SAMVIRKE_OIDC_DEV_INTERNAL_URL = host_url(live_server, "127.0.0.1") + "/dev-idp/"
    return settings.SAMVIRKE_OIDC_DEV_ISSUER


def _log_in_at_the_idp(page, level: str) -> None:
    page.get_by_label(re.compile(PERSON.name)).check()
    page.locator(f"#level-{level}").check()
    page.get_by_role("button", name=re.compile("Log in|Logg inn")).click()


def test_eid_journey_on_a_municipal_host(page, e2e_demo, live_server, one_idp):
    askim = host_url(live_server, "askim.localhost")
    # a citizen on Askim's portal starts the eID login and meets the one IdP
    page.goto(askim + "/accounts/eid/login/?next=/accounts/eid/profile/")
    page.wait_for_url(re.compile(r"^" + re.escape(one_idp) + "authorize/"))
    _log_in_at_the_idp(page, "substantial")
    # and is back on Askim's host, logged in at substantial
    page.wait_for_url(askim + "/accounts/eid/profile/")
    assert PERSON.name in page.locator("main").inner_text()
    screenshot(page, "eid-municipal-host-profile")

    # a service needs high: the IdP asks again (prompt=login), no loop, same session
    page.goto(askim + "/accounts/eid/login/?level=high&next=/accounts/eid/profile/")
    page.wait_for_url(re.compile(r"/dev-idp/authorize/\?.*prompt=login"))
    assert "max_age=0" in page.url
    _log_in_at_the_idp(page, "high")
    page.wait_for_url(askim + "/accounts/eid/profile/")
    assert re.search("High|Høyt|Høg", page.locator("main").inner_text())

    # logging out ends the session here and at the IdP, back on Askim's host
    page.locator("main").get_by_role("button", name=re.compile("Log out|Logg ut")).click()
    page.wait_for_url(askim + "/")
    assert PERSON.name not in page.locator("header").inner_text()
    # the IdP's own session is gone: a new login shows its login page again
    page.goto(askim + "/accounts/eid/login/?next=/accounts/eid/profile/")
    page.wait_for_url(re.compile(r"/dev-idp/authorize/"))
    assert page.get_by_label(re.compile(PERSON.name)).count() == 1
