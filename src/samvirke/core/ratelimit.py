"""Rate limits shared by every app server, counted in the Django cache (Redis in
production, so that all app servers see one count; docs/operations.md).

A limit has a *scope* (what is limited: `access_request`, `anonymous_submission`,
`eid_callback`, `api_auth_failure`, `staff_login_failure`) and a rate from the setting
`SAMVIRKE_RATE_LIMITS` (`{"access_request": "10/m", …}`: a count per `s`, `m`, `h` or
`d`, optionally with a number, `30/15m`; an empty value switches the scope off). It is
counted per client address (`client_address`: `REMOTE_ADDR`, or the header of a trusted
proxy) in fixed windows: the first hit of a window `add`s its key, later ones `incr` it,
both atomic in Redis and in the local memory cache, so two app servers never both let
the one-too-many through.

`rate_limit_hit` counts one event and tells whether it went over; `rate_limit_peek`
tells whether the limit is reached without counting (for limits on *failures*, which
are counted only when they happen). The caller answers 429 with `Retry-After`:
`rate_limited_page` for a page without a form, its own form re-rendered with
`rate_limited_message` for one with a form (the answers stay), or DRF's `Throttled`
under /api/ (the error envelope).
"""

from __future__ import annotations

import enum
import hashlib
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger("samvirke.ratelimit")


class Scope(enum.StrEnum):
    """What is limited; the value is the key in `SAMVIRKE_RATE_LIMITS`."""

    #: public journal access requests (innsynskrav) filed from one address
    ACCESS_REQUEST = "access_request"
    #: e-service submissions by a visitor who is not logged in
    ANONYMOUS_SUBMISSION = "anonymous_submission"
    #: returns from the eID provider (each costs a token request to the provider)
    EID_CALLBACK = "eid_callback"
    #: API requests with a wrong, expired or revoked token
    API_AUTH_FAILURE = "api_auth_failure"
    #: failed staff logins from one address, whatever the user name (password spraying;
    #: django-axes locks a single user name out sooner)
    STAFF_LOGIN_FAILURE = "staff_login_failure"


#: The scopes' default rates (overridden per scope by `SAMVIRKE_RATE_LIMITS`).
DEFAULT_RATES = {
    Scope.ACCESS_REQUEST.value: "10/m",
    Scope.ANONYMOUS_SUBMISSION.value: "10/m",
    Scope.EID_CALLBACK.value: "30/m",
    Scope.API_AUTH_FAILURE.value: "20/m",
    Scope.STAFF_LOGIN_FAILURE.value: "30/15m",
}

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    """At most `count` events in `seconds`."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text or "")
        if match is None:
            raise ImproperlyConfigured(
                f"SAMVIRKE_RATE_LIMITS: {text!r} is not a rate like '10/m' or '30/15m'."
            )
        count, number, unit = match.groups()
        return cls(int(count), int(number or 1) * _UNIT_SECONDS[unit])


@dataclass(frozen=True)
class Verdict:
    """What a hit (or a peek) found: `limited` when the request must be refused, and
    then after how many seconds the window ends (`retry_after`, at least 1)."""

    scope: str
    limited: bool
    count: int
    retry_after: int

    def apply(self, response: HttpResponse) -> HttpResponse:
        """Makes `response` the refusal: status 429 and `Retry-After`."""
        response.status_code = 429
        response["Retry-After"] = str(self.retry_after)
        return response


def rate_for(scope: Scope | str) -> Rate | None:
    """The scope's rate from the settings, or None when it is switched off."""
    scope = scope.value if isinstance(scope, Scope) else scope
    if scope not in DEFAULT_RATES:
        raise ImproperlyConfigured(f"No rate limit scope {scope!r}.")
    configured = getattr(settings, "SAMVIRKE_RATE_LIMITS", {}) or {}
    text = configured.get(scope, DEFAULT_RATES[scope])
    if not text or str(text).strip().lower() in {"off", "none", "0"}:
        return None
    return Rate.parse(str(text))


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: `REMOTE_ADDR`, or, behind a load balancer, the address
    in the header it sets (`SAMVIRKE_CLIENT_IP_HEADER`, e.g. `X-Real-IP`, or
    `X-Forwarded-For` with `SAMVIRKE_TRUST_X_FORWARDED_FOR`). In `X-Forwarded-For` the
    address the trusted proxies saw is the one `SAMVIRKE_TRUSTED_PROXY_COUNT` places from
    the right: entries further left were written by the client and prove nothing."""
    header = getattr(settings, "SAMVIRKE_CLIENT_IP_HEADER", "") or ""
    if not header and getattr(settings, "SAMVIRKE_TRUST_X_FORWARDED_FOR", False):
        header = "X-Forwarded-For"
    if header:
        meta_name = "HTTP_" + header.upper().replace("-", "_")
        entries = [e.strip() for e in request.META.get(meta_name, "").split(",") if e.strip()]
        if entries:
            proxies = max(int(getattr(settings, "SAMVIRKE_TRUSTED_PROXY_COUNT", 1) or 1), 1)
            candidate = entries[-min(proxies, len(entries))]
            if _is_address(candidate):
                return candidate
    return request.META.get("REMOTE_ADDR") or None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _key(scope: str, identity: str, window: int) -> str:
    # hashed: an address (personal data) is not kept readable in the cache
    digest = hashlib.sha256(f"{scope}\0{identity}".encode()).hexdigest()[:32]
    return f"samvirke:ratelimit:{scope}:{digest}:{window}"


def _cache():
    return caches[getattr(settings, "SAMVIRKE_RATE_LIMIT_CACHE", "default")]


def _clock() -> float:
    return time.time()


def _identity(request_or_identity: HttpRequest | str) -> str:
    if isinstance(request_or_identity, str):
        return request_or_identity
    return client_address(request_or_identity) or "unknown"


def _count(scope: Scope | str, identity: str, *, add: bool) -> Verdict:
    scope = scope.value if isinstance(scope, Scope) else scope
    rate = rate_for(scope)
    if rate is None:
        return Verdict(scope, False, 0, 0)
    now = _clock()
    window = int(now // rate.seconds)
    retry_after = max(math.ceil((window + 1) * rate.seconds - now), 1)
    key = _key(scope, identity, window)
    cache = _cache()
    if add:
        if cache.add(key, 1, timeout=rate.seconds + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr: a new window
                cache.add(key, 1, timeout=rate.seconds + 1)
                count = 1
        limited = count > rate.count
    else:
        count = int(cache.get(key, 0) or 0)
        limited = count >= rate.count
    if limited:
        logger.warning(
            "rate limit reached", extra={"scope": scope, "count": count, "limit": rate.count}
        )
    return Verdict(scope, limited, count, retry_after)


def rate_limit_hit(scope: Scope | str, request_or_identity: HttpRequest | str) -> Verdict:
    """Counts one event of `scope` for the request's client address (or the given
    identity) and tells whether it is one too many."""
    return _count(scope, _identity(request_or_identity), add=True)


def rate_limit_peek(scope: Scope | str, request_or_identity: HttpRequest | str) -> Verdict:
    """Whether the scope's limit is reached for the client, without counting."""
    return _count(scope, _identity(request_or_identity), add=False)


def rate_limited_message(verdict: Verdict, *, kept: bool = True) -> str:
    """The translated refusal for a form re-rendered with its answers (`kept`), or for
    one whose secret fields are not sent back (a password)."""
    wait = wait_text(verdict.retry_after) if kept else retry_text(verdict.retry_after)
    return " ".join([_("Too many requests came from your address in a short time."), wait])


def retry_text(seconds: int) -> str:
    """ "Please wait N seconds/minutes and try again." translated."""
    if seconds < 120:
        return ngettext(
            "Please wait %(n)s second and try again.",
            "Please wait %(n)s seconds and try again.",
            seconds,
        ) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Please wait %(minutes)s minute and try again.",
        "Please wait %(minutes)s minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def wait_text(seconds: int) -> str:
    """ "Your answers are kept: wait N seconds/minutes and send again." translated."""
    if seconds < 120:
        return ngettext(
            "What you filled in is kept: wait %(n)s second and send it again.",
            "What you filled in is kept: wait %(n)s seconds and send it again.",
            seconds,
        ) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "What you filled in is kept: wait %(n)s minute and send it again.",
        "What you filled in is kept: wait %(n)s minutes and send it again.",
        minutes,
    ) % {"n": minutes}


def rate_limited_page(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    """The translated 429 page (`429.html`) with `Retry-After`, for a request without a
    form to keep."""
    minutes = math.ceil(verdict.retry_after / 60)
    response = render(
        request,
        "429.html",
        {"retry_after": verdict.retry_after, "minutes": minutes},
    )
    return verdict.apply(response)
