"""The development identity provider on its own: what it publishes and what it refuses."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from joserfc import jwt
from joserfc.jwk import KeySet

from samvirke.accounts.devidp.clients import DEV_CLIENT_ID, dev_client_secret
from samvirke.accounts.devidp.persons import PERSONS
from samvirke.accounts.national_id import is_synthetic

CALLBACK = "http://testserver/accounts/eid/callback/"
VERIFIER = "v" * 50


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_params(**overrides):
    params = {
        "response_type": "code",
        "client_id": DEV_CLIENT_ID,
        "redirect_uri": CALLBACK,
        "scope": "openid profile",
        "state": "s1",
        "nonce": "n1",
        "code_challenge": challenge(VERIFIER),
        "code_challenge_method": "S256",
        "acr_values": "idporten-loa-high",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def get_code(client, **overrides) -> str:
    response = client.post(
        "/dev-idp/authorize/",
        {**authorize_params(**overrides), "person": "p2", "level": "high", "action": "login"},
    )
    assert response.status_code == 302
    return parse_qs(urlparse(response["Location"]).query)["code"][0]


def redeem(client, code, verifier=VERIFIER, secret=None):
    return client.post(
        "/dev-idp/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
            "client_id": DEV_CLIENT_ID,
            "client_secret": secret or dev_client_secret(),
        },
    )


def test_discovery_and_keys(client):
    meta = client.get("/dev-idp/.well-known/openid-configuration").json()
    assert meta["issuer"] == "http://testserver/dev-idp/"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = client.get("/dev-idp/jwks/").json()
    assert keys["keys"][0]["kty"] == "RSA" and "d" not in keys["keys"][0]


def test_test_persons_are_invented_and_synthetic(client):
    assert len(PERSONS) >= 6
    assert all(is_synthetic(p.national_id) for p in PERSONS)
    from django.utils.translation import gettext, override

    page = client.get("/dev-idp/authorize/", authorize_params()).content.decode()
    with override("nb"):
        assert gettext("TEST DATA") in page
    assert all(p.name in page for p in PERSONS)


@pytest.mark.parametrize(
    "override",
    [
        {"code_challenge": None},
        {"code_challenge_method": "plain"},
        {"nonce": None},
        {"response_type": "token"},
        {"scope": "profile"},
    ],
)
def test_authorize_refuses_bad_requests_back_to_the_client(client, override):
    response = client.get("/dev-idp/authorize/", authorize_params(**override))
    assert response.status_code == 302
    assert "error=" in response["Location"] and response["Location"].startswith(CALLBACK)


@pytest.mark.parametrize(
    "override",
    [
        {"redirect_uri": "https://evil.example/cb"},
        {"client_id": "someone"},
    ],
)
def test_authorize_never_redirects_to_unknown_places(client, override):
    response = client.get("/dev-idp/authorize/", authorize_params(**override))
    assert response.status_code == 400


def test_missing_choice_shows_an_error_summary(client):
    response = client.post("/dev-idp/authorize/", {**authorize_params(), "action": "login"})
    assert response.status_code == 400
    assert "ds-error-summary" in response.content.decode()


def test_code_exchange_gives_a_signed_id_token(client):
    body = redeem(client, get_code(client)).json()
    keys = KeySet.import_key_set(client.get("/dev-idp/jwks/").json())
    claims = jwt.decode(body["id_token"], keys, algorithms=["RS256"]).claims
    assert claims["iss"] == "http://testserver/dev-idp/" and claims["aud"] == DEV_CLIENT_ID
    assert claims["acr"] == "idporten-loa-high" and claims["nonce"] == "n1"
    assert claims["pid"] == PERSONS[1].national_id and claims["sub"] != claims["pid"]
    assert {"exp", "iat", "jti", "amr", "name", "given_name", "family_name"} <= set(claims)
    info = client.get(
        "/dev-idp/userinfo/", headers={"Authorization": f"Bearer {body['access_token']}"}
    ).json()
    assert info["sub"] == claims["sub"] and info["pid"] == claims["pid"]


def test_code_is_single_use(client):
    code = get_code(client)
    assert redeem(client, code).status_code == 200
    second = redeem(client, code)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"


def test_code_needs_the_right_verifier_and_secret(client):
    code = get_code(client)
    assert redeem(client, code, verifier="w" * 50).json()["error"] == "invalid_grant"
    assert redeem(client, code, secret="wrong").status_code == 401


def test_client_secret_basic_works(client):
    code = get_code(client)
    credentials = base64.b64encode(f"{DEV_CLIENT_ID}:{dev_client_secret()}".encode()).decode()
    response = client.post(
        "/dev-idp/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": VERIFIER,
        },
        headers={"Authorization": f"Basic {credentials}"},
    )
    assert response.status_code == 200


def test_end_session_checks_where_it_sends_you(client):
    id_token = redeem(client, get_code(client)).json()["id_token"]
    ok = client.get(
        "/dev-idp/end-session/",
        {"id_token_hint": id_token, "post_logout_redirect_uri": "http://testserver/"},
    )
    assert ok.status_code == 302 and ok["Location"] == "http://testserver/"
    evil = client.get(
        "/dev-idp/end-session/",
        {"id_token_hint": id_token, "post_logout_redirect_uri": "https://evil.example/"},
    )
    assert evil.status_code == 400
    forged = client.get("/dev-idp/end-session/", {"id_token_hint": id_token[:-4] + "AAAA"})
    assert forged.status_code == 400


def test_signing_key_survives_a_restart(settings, tmp_path):
    from samvirke.accounts.devidp import keys

    settings.SAMVIRKE_DEV_IDP_KEY_FILE = str(tmp_path / "key.json")
    first = keys.signing_key().kid
    keys._loaded.clear()  # a new process
    assert keys.signing_key().kid == first
    assert (tmp_path / "key.json").stat().st_mode & 0o077 == 0
