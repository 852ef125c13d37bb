"""The eID login from end to end through the real relying party and the real development
identity provider, over HTTP in-process (see `samvirke.accounts.oidc.testing`). A hostile
or broken provider is played by rewriting the token endpoint's answer at the network edge.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from django.core.cache import cache
from django.test import Client
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from samvirke.accounts.devidp import keys as devidp_keys
from samvirke.accounts.devidp.persons import BY_KEY
from samvirke.accounts.models import CitizenIdentity, User
from samvirke.accounts.oidc import flow
from samvirke.accounts.oidc.testing import InProcessTransport, provider_transport
from samvirke.audit.models import AuditAction, AuditEvent

PERSON = BY_KEY["p1"]


@pytest.fixture
def browser_client(db):
    """A citizen's browser, asking for English (the source language of the messages)."""
    cache.clear()
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def idp(db):
    cache.clear()
    with provider_transport(InProcessTransport()) as transport:
        yield transport


@pytest.fixture
def trail(caplog):
    """Every log line and every redirect of the test, to check that no pid leaks."""
    caplog.set_level(logging.DEBUG)
    return caplog


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def start(client, **query) -> tuple[str, dict[str, str]]:
    response = client.get("/accounts/eid/login/", query)
    assert response.status_code == 302, response.content
    url = response["Location"]
    return url, _query(url)


def choose_person(client, params, *, person="p1", level="substantial", action="login") -> str:
    """At the dev IdP: the login page, then the choice; returns our callback URL."""
    page = client.get(urlparse(_authorize_url(params)).path, params)
    assert page.status_code == 200
    response = client.post(
        "/dev-idp/authorize/", {**params, "person": person, "level": level, "action": action}
    )
    assert response.status_code == 302, response.content
    return response["Location"]


def _authorize_url(params) -> str:
    return "http://testserver/dev-idp/authorize/"


def eid_login(client, person="p1", level="substantial", **query):
    _url, params = start(client, **query)
    callback = choose_person(client, params, person=person, level=level)
    return client.get(callback), callback


def _claims(id_token: str) -> dict:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def resign(mutate=None, *, key=None, header=None):
    """A token-endpoint rewrite: the ID token's claims changed by `mutate`, signed again
    (by the dev IdP's own key unless another is given)."""

    def rewrite(body: dict) -> dict:
        claims = _claims(body["id_token"])
        if mutate:
            mutate(claims)
        signing_key = key or devidp_keys.signing_key()
        head = header or {"alg": "RS256", "kid": devidp_keys.signing_key().kid}
        algorithms = [head["alg"]]
        body["id_token"] = jwt.encode(head, claims, signing_key, algorithms=algorithms)
        return body

    return rewrite


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the English source strings; nb is checked in its own test."""
    settings.LANGUAGE_CODE = "en"


def test_error_page_is_translated_into_bokmal(client, settings, db):
    from django.utils.translation import gettext, override

    settings.LANGUAGE_CODE = "nb"
    response = client.get("/accounts/eid/callback/", {"state": "unknown", "code": "x"})
    with override("nb"):
        heading = gettext("Login failed")
    assert heading != "Login failed"
    assert heading in response.content.decode()


def assert_refused(response, code: str, status: int = 400):
    assert response.status_code == status, response.content[:500]
    text = response.content.decode()
    assert "Login failed" in text
    assert code in text  # the code the citizen can give the service desk
    assert "Try again" in text and 'href="/accounts/eid/login/' in text
    assert "_auth_user_id" not in response.wsgi_request.session
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).first()
    assert event is not None and event.details["code"] == code


def assert_no_pid(trail, *urls):
    for url in urls:
        assert PERSON.national_id not in url
    assert PERSON.national_id not in trail.text
    for record in trail.records:
        assert PERSON.national_id not in json.dumps(record.__dict__, default=str)


# --- the happy path ---------------------------------------------------------------------


def test_citizen_logs_in_through_the_dev_idp(browser_client, idp, trail):
    # given a citizen who starts an eID login and wants to end up on /accounts/eid/profile/
    url, params = start(browser_client, next="/accounts/eid/profile/?tab=1")
    assert url.startswith("http://testserver/dev-idp/authorize/?")
    assert params["code_challenge_method"] == "S256"
    assert params["acr_values"] == "idporten-loa-substantial"
    assert params["nonce"] and params["state"]
    # when they choose a test person at the identity provider
    callback = choose_person(browser_client, params)
    response = browser_client.get(callback)
    # then they are logged in as that citizen and sent where they wanted to go
    assert response.status_code == 302
    assert response["Location"] == "/accounts/eid/profile/?tab=1"
    user = User.objects.get(pk=browser_client.session["_auth_user_id"])
    assert user.is_citizen and user.full_name == PERSON.name
    assert CitizenIdentity.objects.get(user=user).national_id == PERSON.national_id
    assert CitizenIdentity.objects.get(user=user).last_acr == "idporten-loa-substantial"
    eid = browser_client.session[flow.SESSION_KEY]
    assert eid["provider"] == "dev" and eid["id_token"].count(".") == 2
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).exists()
    # the code was exchanged over HTTP with PKCE, and the pid never left the back channel
    token_request = next(r for r in idp.requests if r.url.path.endswith("/token/"))
    assert b"code_verifier=" in token_request.content
    assert_no_pid(trail, url, callback, response["Location"])


def test_profile_shows_name_and_masked_number_and_audits_the_read(browser_client, idp):
    eid_login(browser_client)
    response = browser_client.get("/accounts/eid/profile/")
    text = response.content.decode()
    assert response.status_code == 200
    assert PERSON.name in text
    assert f"{PERSON.national_id[:6]} *****" in text
    assert PERSON.national_id not in text
    user = User.objects.get(full_name=PERSON.name)
    read = AuditEvent.objects.filter(action=AuditAction.READ, actor=user).first()
    assert read is not None and read.details["field"] == "national_id"


def test_a_returning_citizen_keeps_their_account(browser_client, idp):
    eid_login(browser_client)
    first = browser_client.session["_auth_user_id"]
    other = Client(headers={"Accept-Language": "en"})
    eid_login(other)
    assert other.session["_auth_user_id"] == first


def test_high_level_when_asked_for_and_given(browser_client, idp):
    _url, params = start(browser_client, level="high")
    assert params["acr_values"] == "idporten-loa-high"
    response = browser_client.get(choose_person(browser_client, params, level="high"))
    assert response.status_code == 302
    assert browser_client.session[flow.SESSION_KEY]["level"] == "high"


def test_unsafe_next_is_replaced(browser_client, idp):
    response, _ = eid_login(browser_client, next="https://evil.example/steal")
    assert response["Location"] == "/accounts/eid/profile/"


def test_profile_needs_a_citizen_login(browser_client, demo, login):
    response = browser_client.get("/accounts/eid/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/eid/login/?next=")
    login(browser_client, demo.user["askim.saksbehandler"])
    assert browser_client.get("/accounts/eid/profile/").status_code == 403


# --- refused logins ---------------------------------------------------------------------


def test_tampered_id_token_is_refused(browser_client, idp, trail):
    def tamper(body):
        head, payload, signature = body["id_token"].split(".")
        claims = _claims(body["id_token"])
        claims["name"] = "Mallory"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        body["id_token"] = f"{head}.{forged}.{signature}"
        return body

    idp.rewrite_token = tamper
    response, callback = eid_login(browser_client)
    assert_refused(response, "token_invalid")
    assert "could not verify" in response.content.decode()
    assert_no_pid(trail, callback)


def test_token_signed_by_another_key_is_refused(browser_client, idp, trail):
    other = RSAKey.generate_key(2048)
    # even claiming the provider's key id
    idp.rewrite_token = resign(
        key=other, header={"alg": "RS256", "kid": devidp_keys.signing_key().kid}
    )
    response, _ = eid_login(browser_client)
    assert_refused(response, "token_invalid")
    assert_no_pid(trail)


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_unsigned_or_symmetric_tokens_are_refused(browser_client, idp, alg):
    from samvirke.accounts.devidp.clients import dev_client_secret

    def forge(body):
        claims = _claims(body["id_token"])
        if alg == "none":
            head = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
            payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            body["id_token"] = f"{head}.{payload}."
        else:  # "signed" with our own client secret, the classic confusion attack
            key = OctKey.import_key(dev_client_secret())
            body["id_token"] = jwt.encode({"alg": "HS256"}, claims, key, algorithms=["HS256"])
        return body

    idp.rewrite_token = forge
    response, _ = eid_login(browser_client)
    assert_refused(response, "token_invalid")


@pytest.mark.parametrize(
    "mutation",
    [
        pytest.param(lambda c: c.update(nonce="not-the-nonce-we-sent"), id="wrong-nonce"),
        pytest.param(lambda c: c.pop("nonce"), id="missing-nonce"),
        pytest.param(
            lambda c: c.update(exp=int(time.time()) - 3600, iat=int(time.time()) - 3900),
            id="expired",
        ),
        pytest.param(lambda c: c.update(iat=int(time.time()) + 3600), id="issued-in-future"),
        pytest.param(lambda c: c.update(aud="someone-else"), id="wrong-audience"),
        pytest.param(
            lambda c: c.update(aud=["samvirke-dev", "someone-else"]),
            id="several-audiences-without-azp",
        ),
        pytest.param(lambda c: c.update(iss="https://evil.example/"), id="wrong-issuer"),
    ],
)
def test_bad_claims_are_refused(browser_client, idp, trail, mutation):
    idp.rewrite_token = resign(mutation)
    response, _ = eid_login(browser_client)
    assert_refused(response, "token_invalid")
    assert_no_pid(trail)


def test_too_low_level_is_refused(browser_client, idp, trail):
    # the service asks for high; the person logs in with substantial
    _url, params = start(browser_client, level="high")
    response = browser_client.get(choose_person(browser_client, params, level="substantial"))
    assert_refused(response, "level_too_low")
    assert "higher security level" in response.content.decode()
    assert "level=high" in response.content.decode()  # try again asks for high again
    assert_no_pid(trail)


def test_minimum_level_from_settings_cannot_be_lowered(browser_client, idp, settings):
    settings.SAMVIRKE_EID_MIN_ACR = "idporten-loa-high"
    _url, params = start(browser_client, level="substantial")
    assert params["acr_values"] == "idporten-loa-high"
    response = browser_client.get(choose_person(browser_client, params, level="substantial"))
    assert_refused(response, "level_too_low")


def test_unknown_acr_is_refused(browser_client, idp):
    idp.rewrite_token = resign(lambda c: c.update(acr="Level3"))
    response, _ = eid_login(browser_client)
    assert_refused(response, "level_too_low")


def test_replayed_callback_is_refused(browser_client, idp):
    response, callback = eid_login(browser_client)
    assert response.status_code == 302
    browser_client.post("/accounts/logout/")
    again = browser_client.get(callback)  # same code, same state
    assert_refused(again, "state_mismatch")


def test_replayed_id_token_is_refused(browser_client, idp):
    captured = {}

    def capture(body):
        captured.setdefault("id_token", body["id_token"])
        body["id_token"] = captured["id_token"]  # the second login gets the first token
        return body

    idp.rewrite_token = capture
    assert eid_login(browser_client)[0].status_code == 302
    browser_client.post("/accounts/logout/")
    browser_client.get("/dev-idp/end-session/")  # and at the IdP, which would answer at once
    response, _ = eid_login(browser_client)
    assert_refused(response, "token_invalid")  # caught first by its old nonce


def test_same_id_token_is_accepted_only_once(browser_client, idp, rf):
    from samvirke.accounts.oidc.errors import EidLoginError
    from samvirke.accounts.oidc.id_token import verify_id_token
    from samvirke.accounts.oidc.providers import get_provider

    provider = get_provider("dev", rf.get("/"))
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "aud": provider.client_id,
        "sub": "s",
        "exp": now + 60,
        "iat": now,
        "nonce": "n-1",
        "jti": "j-1",
        "acr": "idporten-loa-high",
    }
    key = devidp_keys.signing_key()
    token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])
    assert verify_id_token(provider, token, nonce="n-1")["jti"] == "j-1"
    with pytest.raises(EidLoginError) as refused:
        verify_id_token(provider, token, nonce="n-1")
    assert refused.value.code == "token_replayed"


def test_unknown_state_is_refused(browser_client, idp):
    response = browser_client.get("/accounts/eid/callback/", {"state": "forged", "code": "x"})
    assert_refused(response, "state_mismatch")


def test_cancelled_login(browser_client, idp):
    _url, params = start(browser_client)
    callback = choose_person(browser_client, params, action="cancel")
    assert "error=access_denied" in callback
    response = browser_client.get(callback)
    assert_refused(response, "cancelled")
    assert "You cancelled the login" in response.content.decode()


def test_provider_down_at_start(browser_client, db):
    cache.clear()
    with provider_transport(InProcessTransport(fail_with=httpx.ConnectError)):
        response = browser_client.get("/accounts/eid/login/")
    assert_refused(response, "provider_unavailable", 502)
    assert "not answering" in response.content.decode()


def test_provider_times_out_at_token_exchange(browser_client, idp):
    _url, params = start(browser_client)
    callback = choose_person(browser_client, params)
    idp.fail_with = httpx.ReadTimeout
    response = browser_client.get(callback)
    assert_refused(response, "provider_unavailable", 502)


def test_pkce_verifier_is_required_by_the_idp(browser_client, idp):
    _url, params = start(browser_client)
    callback = choose_person(browser_client, params)
    # someone replaces the verifier we keep in the session: the IdP refuses the exchange
    session = browser_client.session
    pending = session[flow.PENDING_KEY]
    pending[params["state"]]["verifier"] = "x" * 64
    session[flow.PENDING_KEY] = pending
    session.save()
    assert_refused(browser_client.get(callback), "token_invalid")


# --- logout -----------------------------------------------------------------------------


def test_citizen_logout_ends_the_session_at_the_provider(browser_client, idp):
    eid_login(browser_client)
    user_id = browser_client.session["_auth_user_id"]
    response = browser_client.post("/accounts/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in browser_client.session
    text = response.content.decode()
    assert 'action="http://testserver/dev-idp/end-session/"' in text
    assert 'name="id_token_hint"' in text and 'name="post_logout_redirect_uri"' in text
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor_id=user_id).exists()
    # the browser posts the form on to the provider, which sends it back home
    fields = dict(__import__("re").findall(r'name="(\w+)" value="([^"]*)"', text))
    fields.pop("csrfmiddlewaretoken", None)
    back = browser_client.post("/dev-idp/end-session/", fields)
    assert back.status_code == 302 and back["Location"] == "http://testserver/"


def test_staff_logout_just_logs_out(browser_client, demo, login):
    login(browser_client, demo.user["askim.saksbehandler"])
    response = browser_client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in browser_client.session


def test_logout_needs_post(browser_client, idp):
    assert browser_client.get("/accounts/logout/").status_code == 405


# --- several providers ------------------------------------------------------------------


def test_several_providers_give_a_choice(browser_client, idp, monkeypatch):
    monkeypatch.setenv("SAMVIRKE_OIDC_PROVIDERS", "idporten")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_ISSUER", "https://idporten.example/")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_CLIENT_ID", "samvirke")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_CLIENT_SECRET", "not-used-here")
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_LABEL", "ID-porten")
    page = browser_client.get("/accounts/eid/login/", {"next": "/accounts/eid/profile/"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "ID-porten" in text and "Test identity provider" in text
    # choosing the dev provider continues the login there
    response, _ = eid_login(browser_client, provider="dev")
    assert response.status_code == 302


def test_unknown_provider(browser_client, idp):
    assert_refused(
        browser_client.get("/accounts/eid/login/", {"provider": "nope"}), "unknown_provider"
    )
