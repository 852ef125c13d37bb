"""Our relying party against an independent, standard OpenID provider: panva's certified
`oidc-provider` (Node.js), configured like ID-porten in server.mjs. Nothing of ours runs on
the provider's side, so this catches what testing against our own dev IdP cannot: that we
speak the standard, including private_key_jwt client authentication.

The citizen's browser is scripted with httpx: it follows the provider's redirects and
submits its login form; the relying party runs in Django's test client and talks to the
provider over real HTTP on localhost.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from django.core.cache import cache
from joserfc.jwk import RSAKey

from samvirke.accounts.devidp.persons import BY_KEY
from samvirke.accounts.models import CitizenIdentity, User

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(__file__).with_name("server.mjs")
CLIENT_ID = "samvirke-test-client"
CALLBACK = "http://testserver/accounts/eid/callback/"
PERSON = BY_KEY["p3"]
SUBSTANTIAL = "idporten-loa-substantial"
HIGH = "idporten-loa-high"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def standard_provider(tmp_path_factory):
    node = shutil.which("node") or "/usr/bin/node"
    if not Path(node).exists() or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("Node.js and the npm package oidc-provider are needed (npm ci).")
    client_key = RSAKey.generate_key(2048, parameters={"kid": "rp-1", "alg": "RS256", "use": "sig"})
    key_file = tmp_path_factory.mktemp("rp") / "client-key.pem"
    key_file.write_bytes(client_key.as_pem(private=True))
    key_file.chmod(0o600)
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_JWKS": json.dumps({"keys": [client_key.as_dict(private=False)]}),
        "REDIRECT_URI": CALLBACK,
        "POST_LOGOUT_REDIRECT_URI": "http://testserver/",
        "PERSONS": json.dumps(
            {
                PERSON.key: {
                    "pid": PERSON.national_id,
                    "given_name": PERSON.given_name,
                    "family_name": PERSON.family_name,
                }
            }
        ),
    }
    process = subprocess.Popen(
        [node, str(SERVER)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 20
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("listening") or process.poll() is not None:
            break
    if not line.startswith("listening"):
        process.kill()
        pytest.fail(f"oidc-provider did not start: {line}{process.stdout.read()}")
    issuer = line.split()[1]
    # keep reading its output so a chatty provider can never block on a full pipe
    threading.Thread(target=process.stdout.read, daemon=True).start()
    yield {"issuer": issuer, "key_file": str(key_file), "kid": "rp-1"}
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def idporten_like(standard_provider, monkeypatch, db):
    cache.clear()
    for name, value in {
        "PROVIDERS": "idporten",
        "IDPORTEN_ISSUER": standard_provider["issuer"],
        "IDPORTEN_CLIENT_ID": CLIENT_ID,
        "IDPORTEN_PRIVATE_KEY_FILE": standard_provider["key_file"],
        "IDPORTEN_PRIVATE_KEY_ID": standard_provider["kid"],
        "IDPORTEN_SCOPES": "openid profile",
        "IDPORTEN_LABEL": "ID-porten (test)",
    }.items():
        monkeypatch.setenv(f"SAMVIRKE_OIDC_{name}", value)
    return standard_provider


def browse_to_callback(
    url: str, *, acr: str, action: str = "login", browser: httpx.Client | None = None
) -> str:
    """The citizen's browser at the provider: follow redirects, fill in the login form,
    and stop when the provider sends us back to the relying party. With `browser`, its
    cookies (the provider's session) carry over from one call to the next."""
    with contextlib.ExitStack() as stack:
        if browser is None:
            browser = stack.enter_context(httpx.Client(timeout=10))
        response = browser.get(url)
        for _ in range(10):
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["location"])
                if location.startswith("http://testserver/"):
                    return location
                response = browser.get(location)
                continue
            assert response.status_code == 200, response.text[:500]
            form = re.search(r'<form method="post" action="([^"]+)"', response.text)
            assert form, response.text[:500]
            response = browser.post(
                urljoin(str(response.url), form.group(1)),
                data={"person": PERSON.key, "acr": acr, "action": action},
            )
    raise AssertionError("the provider never sent the browser back")


def answered_at_once(url: str, browser: httpx.Client) -> bool:
    """Whether the provider sends the browser straight back (its session answers)."""
    response = browser.get(url)
    for _ in range(10):
        if not response.is_redirect:
            return False
        location = urljoin(str(response.url), response.headers["location"])
        if location.startswith("http://testserver/"):
            return True
        response = browser.get(location)
    return False


@pytest.fixture
def provider_browser():
    with httpx.Client(timeout=10) as browser:
        yield browser


def _login(client, browser, *, level: str, acr: str) -> tuple[str, object]:
    start = client.get("/accounts/eid/login/", {"provider": "idporten", "level": level})
    assert start.status_code == 302
    callback = browse_to_callback(start["Location"], acr=acr, browser=browser)
    return start["Location"], client.get(callback.removeprefix("http://testserver"))


def test_citizen_logs_in_with_a_standard_provider(client, idporten_like):
    # given the relying party configured for an ID-porten-like provider
    start = client.get("/accounts/eid/login/", {"provider": "idporten", "level": "high"})
    assert start.status_code == 302
    assert start["Location"].startswith(idporten_like["issuer"])
    assert "code_challenge_method=S256" in start["Location"]
    # when the citizen logs in there at the high level
    callback = browse_to_callback(start["Location"], acr="idporten-loa-high")
    assert PERSON.national_id not in callback
    response = client.get(callback.removeprefix("http://testserver"))
    # then they are logged in here, identified by the pid claim
    assert response.status_code == 302, response.content[:800]
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert user.full_name == PERSON.name
    identity = CitizenIdentity.objects.get(user=user)
    assert identity.national_id == PERSON.national_id
    assert identity.provider == "idporten" and identity.last_acr == "idporten-loa-high"
    # and logout hands over to the provider's end-session endpoint
    logout = client.post("/accounts/logout/")
    assert f'action="{idporten_like["issuer"]}/session/end"' in logout.content.decode()


def test_standard_provider_too_low_level_is_refused(client, idporten_like):
    start = client.get("/accounts/eid/login/", {"provider": "idporten", "level": "high"})
    callback = browse_to_callback(start["Location"], acr="idporten-loa-substantial")
    response = client.get(callback.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "level_too_low" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_standard_provider_cancel(client, idporten_like):
    start = client.get("/accounts/eid/login/", {"provider": "idporten"})
    callback = browse_to_callback(
        start["Location"], acr="idporten-loa-substantial", action="cancel"
    )
    assert "error=access_denied" in callback
    response = client.get(callback.removeprefix("http://testserver"))
    assert response.status_code == 400 and "cancelled" in response.content.decode()


def test_step_up_to_high_succeeds_in_one_session(client, idporten_like, provider_browser):
    # given a citizen logged in at substantial, with a session at the provider
    _url, response = _login(client, provider_browser, level="substantial", acr=SUBSTANTIAL)
    assert response.status_code == 302, response.content[:800]
    assert client.session["eid_login"]["level"] == "substantial"
    start = client.get("/accounts/eid/login/", {"provider": "idporten"})
    assert answered_at_once(start["Location"], provider_browser)  # single sign-on
    # when a service needs high, the provider is asked for a new authentication
    url, response = _login(client, provider_browser, level="high", acr=HIGH)
    query = parse_qs(urlsplit(url).query)
    assert query["prompt"] == ["login"] and query["max_age"] == ["0"]
    assert query["acr_values"] == [HIGH]
    # then the login at high succeeds, in the same browser session, without a loop
    assert response.status_code == 302, response.content[:800]
    assert client.session["eid_login"]["level"] == "high"
    assert client.get("/accounts/eid/profile/").status_code == 200


def test_logout_by_get_ends_the_provider_session(
    client, idporten_like, provider_browser, monkeypatch
):
    monkeypatch.setenv("SAMVIRKE_OIDC_IDPORTEN_LOGOUT_METHOD", "get")
    _url, response = _login(client, provider_browser, level="substantial", acr=SUBSTANTIAL)
    assert response.status_code == 302, response.content[:800]
    # logging out here sends the browser to the provider's end-session endpoint by GET
    logout = client.post("/accounts/logout/")
    assert logout.status_code == 302
    end_session = logout["Location"]
    assert end_session.startswith(f"{idporten_like['issuer']}/session/end?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["id_token_hint"][0].count(".") == 2
    page = provider_browser.get(end_session)
    assert page.status_code == 200, page.text[:500]
    form = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text)
    assert form and xsrf, page.text[:800]
    done = provider_browser.post(
        urljoin(str(page.url), form.group(1)), data={"xsrf": xsrf.group(1), "logout": "yes"}
    )
    assert done.is_redirect and done.headers["location"].startswith("http://testserver/")
    # the provider's session is over: the next login asks for the person again
    start = client.get("/accounts/eid/login/", {"provider": "idporten"})
    assert not answered_at_once(start["Location"], provider_browser)
