"""eID that works on every host of the site and with a standard provider's habits: the
server's own calls go to the provider's internal URL (never through a portal's host
name), step-up asks for a new authentication, logout by GET where configured, the
token-endpoint authentication method as configured, and log records keep their level.

The relying party and the development IdP run in-process (`InProcessTransport`), so the
host names below need no name resolution at all; what matters is which URLs the server
itself asks for."""

from __future__ import annotations

import base64
import json
import logging
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pythonjsonlogger.json import JsonFormatter

from samvirke.accounts.devidp import views as devidp_views
from samvirke.accounts.devidp.persons import BY_KEY
from samvirke.accounts.devidp.views import SSO_COOKIE
from samvirke.accounts.oidc import flow
from samvirke.accounts.oidc.providers import all_providers
from samvirke.accounts.oidc.testing import InProcessTransport, provider_transport

PERSON = BY_KEY["p1"]
ISSUER = "http://localhost/dev-idp/"
INTERNAL = "http://127.0.0.1/dev-idp/"


@pytest.fixture
def idp(db, settings):
    cache.clear()
    settings.SAMVIRKE_OIDC_DEV_ISSUER = ISSUER
    settings.SAMVIRKE_OIDC_DEV_INTERNAL_URL = INTERNAL
    with provider_transport(InProcessTransport()) as transport:
        yield transport


@pytest.fixture
def askim():
    """A citizen's browser on Askim's portal host."""
    return Client(headers={"Accept-Language": "en"}, HTTP_HOST="askim.localhost")


@pytest.fixture
def idp_browser():
    """The same browser at the IdP's host: cookies are per host, as in a real browser."""
    return Client(headers={"Accept-Language": "en"}, HTTP_HOST="localhost")


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _path_and_query(url: str) -> tuple[str, dict[str, str]]:
    return urlparse(url).path, _query(url)


def login(rp: Client, idp_browser: Client, *, level="substantial", choose=True, **query):
    """Starts a login on `rp`, lets the IdP answer (by its login page or at once from its
    own session) and returns the callback's response and the authorization request."""
    start = rp.get("/accounts/eid/login/", {"level": level, **query})
    assert start.status_code == 302, start.content[:400]
    assert start["Location"].startswith(ISSUER)
    path, params = _path_and_query(start["Location"])
    page = idp_browser.get(path, params)
    if page.status_code == 200:
        assert choose, "the IdP asked for a login"
        page = idp_browser.post(
            path, {**params, "person": PERSON.key, "level": level, "action": "login"}
        )
    assert page.status_code == 302, page.content.decode()[-1500:]
    callback = page["Location"]
    assert callback.startswith("http://askim.localhost/accounts/eid/callback/")
    return rp.get(urlparse(callback).path, _query(callback)), params


def test_a_municipal_host_logs_in_through_the_one_provider(askim, idp_browser, idp):
    response, params = login(askim, idp_browser)
    assert response.status_code == 302, response.content[:800]
    assert params["redirect_uri"] == "http://askim.localhost/accounts/eid/callback/"
    assert askim.session[flow.SESSION_KEY]["level"] == "substantial"
    # every call the server made itself went to the internal URL, none to a portal host
    server_calls = {str(request.url) for request in idp.requests}
    assert server_calls, "the relying party made no server-side calls"
    assert all(url.startswith(INTERNAL) for url in server_calls), server_calls
    assert any(url.endswith("/token/") for url in server_calls)
    assert any(url.endswith("/jwks/") for url in server_calls)


def test_step_up_asks_for_a_new_login_and_succeeds_in_one_session(askim, idp_browser, idp):
    assert login(askim, idp_browser)[0].status_code == 302
    # the IdP's own session would answer at once, at the old level ...
    silent, params = login(askim, idp_browser, choose=False)
    assert silent.status_code == 302 and "prompt" not in params
    # ... so stepping up to high asks for a new authentication
    response, params = login(askim, idp_browser, level="high")
    assert params["prompt"] == "login" and params["max_age"] == "0"
    assert params["acr_values"] == "idporten-loa-high"
    assert response.status_code == 302, response.content[:800]
    assert askim.session[flow.SESSION_KEY]["level"] == "high"
    assert askim.get("/accounts/eid/profile/").status_code == 200


def test_retry_after_a_too_low_level_asks_for_a_new_login(askim, idp_browser, idp):
    assert login(askim, idp_browser)[0].status_code == 302
    askim.post("/accounts/logout/")  # here only: the IdP's session lives on
    refused, params = login(askim, idp_browser, level="high", choose=False)
    assert "prompt" not in params
    assert refused.status_code == 400 and "level_too_low" in refused.content.decode()
    retry = refused.context["retry_url"]
    assert "fresh=1" in retry
    again = askim.get(retry)
    assert _query(again["Location"])["prompt"] == "login"


def test_a_stale_authentication_is_refused_after_max_age(askim, idp_browser, idp, monkeypatch):
    assert login(askim, idp_browser)[0].status_code == 302
    start = askim.get("/accounts/eid/login/", {"level": "high"})
    path, params = _path_and_query(start["Location"])
    # a provider that ignores max_age=0 and answers with an hour-old authentication
    issue_code = devidp_views._code
    monkeypatch.setattr(
        devidp_views,
        "_code",
        lambda params, person, acr, auth_time: issue_code(params, person, acr, auth_time - 3600),
    )
    page = idp_browser.post(path, {**params, "person": PERSON.key, "level": "high"})
    callback = page["Location"]
    response = askim.get(urlparse(callback).path, _query(callback))
    assert response.status_code == 400 and "token_invalid" in response.content.decode()


def test_logout_by_get_ends_the_provider_session(askim, idp_browser, idp, settings):
    settings.SAMVIRKE_OIDC_DEV_LOGOUT_METHOD = "get"
    assert login(askim, idp_browser)[0].status_code == 302
    assert idp_browser.cookies.get(SSO_COOKIE)
    logout = askim.post("/accounts/logout/")
    assert logout.status_code == 302
    end_session = logout["Location"]
    assert end_session.startswith(ISSUER + "end-session/")
    params = _query(end_session)
    assert params["post_logout_redirect_uri"] == "http://askim.localhost/"
    assert params["id_token_hint"].count(".") == 2
    back = idp_browser.get(urlparse(end_session).path, params)
    assert back.status_code == 302 and back["Location"] == "http://askim.localhost/"
    # the provider's session is over: the next login asks again
    start = askim.get("/accounts/eid/login/")
    path, query = _path_and_query(start["Location"])
    assert idp_browser.get(path, query).status_code == 200


def test_logout_by_post_is_the_default(askim, idp_browser, idp):
    assert login(askim, idp_browser)[0].status_code == 302
    logout = askim.post("/accounts/logout/")
    assert logout.status_code == 200
    assert f'action="{ISSUER}end-session/"' in logout.content.decode()


@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic"])
def test_token_endpoint_auth_method_is_as_configured(askim, idp_browser, idp, settings, method):
    settings.SAMVIRKE_OIDC_DEV_TOKEN_AUTH_METHOD = method
    assert login(askim, idp_browser)[0].status_code == 302
    token_call = next(r for r in idp.requests if str(r.url).endswith("/token/"))
    body = parse_qs(token_call.content.decode())
    if method == "client_secret_post":
        assert "authorization" not in token_call.headers
        assert body["client_id"] == ["samvirke-dev"] and body["client_secret"]
    else:
        scheme, credentials = token_call.headers["authorization"].split(" ", 1)
        assert scheme == "Basic"
        assert base64.b64decode(credentials).decode().startswith("samvirke-dev:")
        assert "client_secret" not in body


def test_unknown_token_auth_method_is_refused(settings, monkeypatch):
    monkeypatch.setenv("SAMVIRKE_OIDC_PROVIDERS", "idporten")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_ISSUER", "https://idp.example/")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_CLIENT_ID", "c")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_CLIENT_SECRET", "s")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_TOKEN_AUTH_METHOD", "private_key_jwt")
    with pytest.raises(ImproperlyConfigured):
        all_providers()
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_TOKEN_AUTH_METHOD", "magic")
    with pytest.raises(ImproperlyConfigured):
        all_providers()
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_TOKEN_AUTH_METHOD", "client_secret_post")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_INTERNAL_URL", "http://idp.internal:8080/")
    provider = all_providers()["idporten"]
    assert provider.token_endpoint_auth_method == "client_secret_post"
    assert provider.server_url("https://idp.example/token") == "http://idp.internal:8080/token"
    assert provider.server_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


def test_log_records_keep_their_level(askim, idp_browser, idp, caplog):
    caplog.set_level(logging.INFO, logger="samvirke.accounts.oidc")
    assert login(askim, idp_browser)[0].status_code == 302
    record = next(r for r in caplog.records if r.getMessage() == "eID login succeeded")
    assert record.assurance_level == "substantial"
    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
    line = json.loads(formatter.format(record))
    assert line["level"] == "INFO" and line["assurance_level"] == "substantial"
