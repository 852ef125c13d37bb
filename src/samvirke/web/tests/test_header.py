"""The site header: a citizen logged in with eID finds "My cases" (Mine saker) there, on
the platform's own pages and on the portal's pages alike; nobody else gets the link."""

from __future__ import annotations

import re

import pytest

from samvirke.accounts.devidp.persons import BY_KEY
from samvirke.accounts.oidc.flow import SESSION_KEY
from samvirke.accounts.services import citizen_login_from_eid

pytestmark = pytest.mark.django_db

MY_CASES_LINK = re.compile(r'<a href="/my-cases/"( aria-current="page")?>([^<]+)</a>')


def header(response) -> str:
    html = response.content.decode()
    return re.search(r"<header.*?</header>", html, re.S).group(0)


@pytest.fixture
def citizen_client(client):
    person = BY_KEY["p1"]
    user = citizen_login_from_eid(
        provider="dev",
        national_id=person.national_id,
        full_name=person.name,
        acr="idporten-loa-substantial",
    )
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = {"provider": "dev", "level": "substantial"}
    session.save()
    return client


@pytest.mark.parametrize(
    "path, host, template",
    [
        ("/cooperation/", "testserver", "web/base.html"),
        ("/", "askim.localhost", "portal/portal_base.html"),  # a municipality's site
        ("/", "localhost", "portal/portal_base.html"),  # the regional portal
    ],
)
def test_a_citizen_finds_my_cases_in_the_header(citizen_client, demo, path, host, template):
    response = citizen_client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    link = MY_CASES_LINK.search(header(response))
    assert link, header(response)
    assert link.group(1) is None  # not the current page here
    assert link.group(2) == "Mine saker"  # bokmål, the default language


def test_the_link_is_in_the_citizens_language_and_current_on_my_cases(citizen_client, demo):
    citizen_client.cookies["django_language"] = "en"
    response = citizen_client.get("/my-cases/")
    link = MY_CASES_LINK.search(header(response))
    assert link and link.group(1) == ' aria-current="page"' and link.group(2) == "My cases"


def test_visitors_and_staff_get_no_my_cases_link(client, demo, login):
    assert "/my-cases/" not in header(client.get("/cooperation/"))
    login(client, demo.user["askim.saksbehandler"])
    assert "/my-cases/" not in header(client.get("/cooperation/"))
