"""The authorization code flow with PKCE, from our side (the relying party).

`login_begin` makes the authorization request and keeps what we must check later — state,
nonce, PKCE verifier, the level asked for, where to go afterwards — in the server-side
session, keyed by state, so a browser can have a login open in two tabs. `login_complete`
takes that record out (so a state, and with it a code, is used at most once), exchanges
the code, verifies the ID token, checks the level and hands the verified person to
`citizen_login_from_eid`.

The national identity number (`pid`) travels only in the back channel and the session
store; it is never put in a URL and never logged.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from authlib.common.security import generate_token
from django.contrib.auth import login as django_login
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from samvirke.accounts.models import User
from samvirke.accounts.oidc import client as oidc_client
from samvirke.accounts.oidc.errors import EidLoginError
from samvirke.accounts.oidc.id_token import verify_id_token
from samvirke.accounts.oidc.levels import Level, minimum_level, parse_level
from samvirke.accounts.oidc.providers import EidProvider
from samvirke.accounts.services import citizen_login_from_eid

logger = logging.getLogger("samvirke.accounts.oidc")

PENDING_KEY = "eid_pending"
SESSION_KEY = "eid_login"  # provider, id_token (for logout), acr, level
MAX_PENDING = 5
PENDING_SECONDS = 15 * 60
BACKEND = "django.contrib.auth.backends.ModelBackend"
CLOCK_SLACK = 5  # seconds between our clock and the provider's, for auth_time


def callback_uri(request) -> str:
    return request.build_absolute_uri(reverse("accounts:eid-callback"))


def safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:eid-profile")


def required_level(requested: str | None) -> Level:
    """The level to ask for: the site minimum, raised (never lowered) by `?level=`."""
    floor = minimum_level()
    asked = parse_level(requested)
    return asked if asked is not None and asked >= floor else floor


def is_step_up(request, level: Level) -> bool:
    """The session already has an eID login, below `level`: the provider must log the
    citizen in afresh (its own single sign-on session is at the lower level)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    current = parse_level((request.session.get(SESSION_KEY) or {}).get("level"))
    return current is not None and current < level


def login_begin(
    request, provider: EidProvider, *, level: Level, next_url: str, fresh: bool = False
) -> str:
    """Stores the pending login in the session; returns the provider's authorization URL.

    A step-up (the session's eID login is below `level`), or `fresh` (a retry after a too
    low level), adds the provider's parameters for a new authentication (`prompt=login`,
    `max_age=0` by default): without them a provider with single sign-on answers at once
    with the old, lower level, and the citizen goes round in a loop."""
    state = generate_token(32)
    nonce = generate_token(32)
    verifier = generate_token(64)  # 64 characters of [A-Za-z0-9]: within RFC 7636's 43-128
    redirect_uri = callback_uri(request)
    extra: dict[str, Any] = {"nonce": nonce}
    acr = provider.acr_value_for(level)
    if acr:
        extra["acr_values"] = acr
    ui_locales = getattr(request, "LANGUAGE_CODE", "")
    if ui_locales:
        extra["ui_locales"] = ui_locales
    max_age: int | None = None
    if fresh or is_step_up(request, level):
        extra.update(provider.step_up_parameters)
        if "max_age" in extra:
            max_age = int(extra["max_age"])
    meta = oidc_client.metadata(provider)
    with oidc_client.oauth_client(provider, redirect_uri) as client:
        url, _state = client.create_authorization_url(
            meta["authorization_endpoint"], state=state, code_verifier=verifier, **extra
        )
    pending = dict(request.session.get(PENDING_KEY, {}))
    now = time.time()
    pending = {k: v for k, v in pending.items() if v["created"] + PENDING_SECONDS > now}
    while len(pending) >= MAX_PENDING:
        pending.pop(min(pending, key=lambda k: pending[k]["created"]))
    pending[state] = {
        "provider": provider.name,
        "issuer": provider.issuer,
        "nonce": nonce,
        "verifier": verifier,
        "level": level.value,
        "next": next_url,
        "redirect_uri": redirect_uri,
        "created": now,
        "max_age": max_age,
    }
    request.session[PENDING_KEY] = pending
    logger.info(
        "eID login started",
        extra={
            "provider": provider.name,
            "assurance_level": level.value,
            "step_up": max_age is not None or "prompt" in extra,
        },
    )
    return url


@dataclass
class PendingLogin:
    state: str
    provider: str
    issuer: str
    nonce: str
    verifier: str
    level: Level
    next: str
    redirect_uri: str
    created: float = 0.0
    max_age: int | None = None


def take_pending(request, state: str | None) -> PendingLogin:
    """Removes and returns the pending login for this state: a second callback with the
    same state (a replayed code) finds nothing."""
    pending = dict(request.session.get(PENDING_KEY, {}))
    record = pending.pop(state, None) if state else None
    request.session[PENDING_KEY] = pending
    if record is None or record["created"] + PENDING_SECONDS < time.time():
        raise EidLoginError("state_mismatch", "no pending login for this state")
    return PendingLogin(
        state=state,
        provider=record["provider"],
        issuer=record["issuer"],
        nonce=record["nonce"],
        verifier=record["verifier"],
        level=Level(record["level"]),
        next=record["next"],
        redirect_uri=record["redirect_uri"],
        created=record["created"],
        max_age=record.get("max_age"),
    )


def login_complete(
    request,
    provider: EidProvider,
    pending: PendingLogin,
    *,
    code: str,
    iss_param: str | None = None,
) -> User:
    if provider.issuer != pending.issuer:
        raise EidLoginError(
            "state_mismatch", "provider issuer changed during the login", provider=provider.name
        )
    if iss_param is not None and iss_param != provider.issuer:
        # RFC 9207: the answer came from another provider than we asked (mix-up attack)
        raise EidLoginError(
            "token_invalid", "iss parameter is not the provider's issuer", provider=provider.name
        )
    if not code:
        raise EidLoginError("provider_error", "callback without code", provider=provider.name)
    token = oidc_client.exchange_code(
        provider, redirect_uri=pending.redirect_uri, code=code, code_verifier=pending.verifier
    )
    claims = verify_id_token(provider, token["id_token"], nonce=pending.nonce)

    if pending.max_age is not None:
        # we asked for an authentication at most max_age old (OIDC Core 3.1.2.1): the
        # provider must say when it happened, and it must not be an older session's
        auth_time = claims.get("auth_time")
        if not isinstance(auth_time, (int, float)) or (
            auth_time + pending.max_age + CLOCK_SLACK < pending.created
        ):
            raise EidLoginError(
                "token_invalid",
                "id_token auth_time missing or older than max_age allows",
                provider=provider.name,
            )

    level = provider.level_for(claims.get("acr"))
    if level is None or level < pending.level:
        raise EidLoginError(
            "level_too_low",
            f"acr {claims.get('acr')!r} is below the required {pending.level.value}",
            provider=provider.name,
        )

    person = dict(claims)
    if provider.use_userinfo or not provider.national_id_from(claims):
        info = oidc_client.userinfo(provider, token.get("access_token", ""))
        if info:
            if info.get("sub") != claims.get("sub"):
                raise EidLoginError(
                    "token_invalid",
                    "userinfo sub differs from id_token sub",
                    provider=provider.name,
                )
            person = {**info, **claims}
    national_id = provider.national_id_from(person)
    if not national_id:
        raise EidLoginError(
            "identity_missing", f"no {provider.pid_claim} claim", provider=provider.name
        )

    user = citizen_login_from_eid(
        provider=provider.name,
        national_id=national_id,
        full_name=provider.full_name_from(person) or str(claims["sub"])[:40],
        acr=str(claims.get("acr", "")),
    )
    django_login(request, user, backend=BACKEND)
    request.session[SESSION_KEY] = {
        "provider": provider.name,
        "issuer": provider.issuer,
        "id_token": token["id_token"],
        "acr": claims.get("acr", ""),
        "level": level.value,
    }
    logger.info(
        "eID login succeeded",
        extra={"provider": provider.name, "assurance_level": level.value, "user_id": user.pk},
    )
    return user
