"""Verifying an ID token (OpenID Connect Core 1.0, section 3.1.3.7) with joserfc.

Only asymmetric signatures the provider's published keys can check are accepted: RS256 by
default (`alg: none` and HMAC tokens are refused before any key is looked at, so a token
"signed" with our own client secret or with nothing cannot pass). Then issuer, audience
(and `azp` when there are several audiences), expiry, issue time, nonce and, against
replay, the token's `jti` (or the nonce when there is no `jti`) may be seen only once.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from samvirke.accounts.oidc import client as oidc_client
from samvirke.accounts.oidc.errors import EidLoginError
from samvirke.accounts.oidc.providers import EidProvider

ALLOWED_ALGORITHMS = ("RS256",)


def _leeway() -> int:
    return int(getattr(settings, "SAMVIRKE_OIDC_CLOCK_LEEWAY", 60))


def _max_age() -> int:
    """How old (by `iat`) an ID token may be when we receive it."""
    return int(getattr(settings, "SAMVIRKE_OIDC_ID_TOKEN_MAX_AGE", 600))


def _header(token: str) -> dict[str, Any]:
    try:
        segment = token.split(".")[0]
        padded = segment + "=" * (-len(segment) % 4)
        header = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, IndexError) as error:
        raise EidLoginError("token_invalid", "id_token header unreadable") from error
    if not isinstance(header, dict):
        raise EidLoginError("token_invalid", "id_token header is not an object")
    return header


def _verify_signature(provider: EidProvider, token: str, keys: KeySet) -> dict[str, Any]:
    registry = jws.JWSRegistry(algorithms=list(ALLOWED_ALGORITHMS))
    compact = jws.deserialize_compact(token, keys, registry=registry)
    claims = json.loads(compact.payload)
    if not isinstance(claims, dict):
        raise ValueError("payload is not an object")
    return claims


def verify_id_token(
    provider: EidProvider, token: str, *, nonce: str, issuer: str | None = None
) -> dict[str, Any]:
    """The token's claims, once every check has passed; otherwise EidLoginError."""
    if token.count(".") != 2:
        raise EidLoginError(
            "token_invalid", "id_token is not a compact JWS", provider=provider.name
        )
    header = _header(token)
    alg = header.get("alg")
    if alg not in ALLOWED_ALGORITHMS:
        raise EidLoginError(
            "token_invalid", f"id_token alg {alg!r} is not allowed", provider=provider.name
        )
    try:
        claims = _verify_signature(provider, token, oidc_client.key_set(provider))
    except (JoseError, ValueError):
        # maybe the provider rotated its keys: one fresh fetch, then give up
        try:
            claims = _verify_signature(provider, token, oidc_client.key_set(provider, refresh=True))
        except (JoseError, ValueError) as error:
            raise EidLoginError(
                "token_invalid",
                f"id_token signature rejected: {type(error).__name__}",
                provider=provider.name,
            ) from error

    expected_issuer = issuer or oidc_client.metadata(provider)["issuer"]
    _check_claims(provider, claims, issuer=expected_issuer, nonce=nonce)
    _refuse_replay(provider, claims)
    return claims


def _check_claims(
    provider: EidProvider, claims: dict[str, Any], *, issuer: str, nonce: str
) -> None:
    def refuse(reason: str) -> None:
        raise EidLoginError("token_invalid", reason, provider=provider.name)

    if claims.get("iss") != issuer:
        refuse("id_token iss is not the provider's issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences:
        refuse("id_token aud does not contain our client id")
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        refuse("id_token has several audiences and azp is not our client id")
    if "azp" in claims and claims["azp"] != provider.client_id:
        refuse("id_token azp is not our client id")
    if not claims.get("sub"):
        refuse("id_token has no sub")
    now = time.time()
    leeway = _leeway()
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, (int, float)) or not isinstance(iat, (int, float)):
        refuse("id_token lacks numeric exp or iat")
    if exp + leeway < now:
        refuse("id_token has expired")
    if iat - leeway > now:
        refuse("id_token iat is in the future")
    if iat + _max_age() + leeway < now:
        refuse("id_token was issued too long ago")
    nbf = claims.get("nbf")
    if isinstance(nbf, (int, float)) and nbf - leeway > now:
        refuse("id_token is not valid yet (nbf)")
    if not nonce or claims.get("nonce") != nonce:
        refuse("id_token nonce does not match the one we sent")


def _refuse_replay(provider: EidProvider, claims: dict[str, Any]) -> None:
    """Each ID token is accepted once: remembered by `jti` (or nonce) until it expires.
    With several app servers the cache must be shared (see docs/eid.md)."""
    marker = str(claims.get("jti") or f"nonce:{claims.get('nonce')}")
    digest = hashlib.sha256(f"{claims.get('iss')}|{marker}".encode()).hexdigest()
    lifetime = max(int(claims["exp"] - time.time()) + _leeway(), 60)
    if not cache.add(f"samvirke:oidc:seen:{digest}", 1, lifetime):
        raise EidLoginError(
            "token_replayed", "id_token (jti/nonce) was already used", provider=provider.name
        )
