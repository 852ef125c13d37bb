"""Talking to an OpenID provider over HTTP: discovery, keys, the token and userinfo
endpoints. Authlib's OAuth 2 client (on httpx) builds the authorization request with PKCE
and authenticates us at the token endpoint (client_secret_basic or private_key_jwt).

Discovery documents and key sets are cached in Django's cache (an hour by default) so a
login costs the provider one token request, not three; an ID token signed with a key id
we do not know triggers one fresh fetch of the key set, which is how providers rotate keys.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.core.cache import cache
from joserfc.jwk import KeySet

from samvirke.accounts.oidc.errors import EidLoginError
from samvirke.accounts.oidc.providers import EidProvider

logger = logging.getLogger("samvirke.accounts.oidc")

# Tests replace this with a transport into the WSGI app or a broken network (the network
# edge); production leaves it None and httpx uses real sockets.
transport: httpx.BaseTransport | None = None


def _timeout() -> float:
    return float(getattr(settings, "SAMVIRKE_OIDC_HTTP_TIMEOUT", 10))


def _cache_seconds() -> int:
    return int(getattr(settings, "SAMVIRKE_OIDC_CACHE_SECONDS", 3600))


def http_client(**kwargs) -> httpx.Client:
    return httpx.Client(timeout=_timeout(), transport=transport, **kwargs)


def _get_json(provider: EidProvider, url: str, what: str) -> dict[str, Any]:
    try:
        with http_client() as client:
            response = client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            data = response.json()
    except httpx.HTTPError as error:
        raise EidLoginError(
            "provider_unavailable",
            f"{what} fetch failed: {type(error).__name__}",
            provider=provider.name,
        ) from error
    except ValueError as error:
        raise EidLoginError(
            "provider_unavailable", f"{what} is not JSON", provider=provider.name
        ) from error
    if not isinstance(data, dict):
        raise EidLoginError(
            "provider_unavailable", f"{what} is not an object", provider=provider.name
        )
    return data


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def metadata(provider: EidProvider) -> dict[str, Any]:
    """The provider's discovery document; its `issuer` must be exactly the configured one
    (OpenID Connect Discovery 1.0, section 4.3), or someone else's keys could pass."""
    key = f"samvirke:oidc:meta:{provider.issuer}"
    data = cache.get(key)
    if data is None:
        # fetched at the internal URL when there is one: never through a host name only
        # the browser can resolve (a municipality's portal, say)
        data = _get_json(
            provider,
            discovery_url(provider.internal_url or provider.issuer),
            "discovery document",
        )
        if data.get("issuer") != provider.issuer:
            raise EidLoginError(
                "provider_unavailable",
                "discovery issuer differs from the configured issuer",
                provider=provider.name,
            )
        for required in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not data.get(required):
                raise EidLoginError(
                    "provider_unavailable",
                    f"discovery document lacks {required}",
                    provider=provider.name,
                )
        cache.set(key, data, _cache_seconds())
    return data


def key_set(provider: EidProvider, *, refresh: bool = False) -> KeySet:
    meta = metadata(provider)
    key = f"samvirke:oidc:jwks:{meta['jwks_uri']}"
    data = None if refresh else cache.get(key)
    if data is None:
        data = _get_json(provider, provider.server_url(meta["jwks_uri"]), "key set")
        cache.set(key, data, _cache_seconds())
    try:
        return KeySet.import_key_set(data)
    except Exception as error:  # a malformed key set: treat like a provider failure
        raise EidLoginError(
            "provider_unavailable", "key set could not be read", provider=provider.name
        ) from error


def oauth_client(provider: EidProvider, redirect_uri: str) -> OAuth2Client:
    """Authlib's client for this provider, authenticating as its configuration says."""
    meta = metadata(provider)
    method = provider.token_endpoint_auth_method
    if method == "private_key_jwt":
        secret: Any = provider.private_key()
    else:
        secret = provider.client_secret
        supported = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if (
            not provider.token_auth_method  # configured explicitly: used as configured
            and "client_secret_basic" not in supported
            and "client_secret_post" in supported
        ):
            method = "client_secret_post"
    client = OAuth2Client(
        client_id=provider.client_id,
        client_secret=secret,
        token_endpoint_auth_method=method,
        scope=" ".join(provider.scopes),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=_timeout(),
        transport=transport,
    )
    if method == "private_key_jwt":
        audience = (
            meta["token_endpoint"]
            if provider.assertion_audience == "token_endpoint"
            else meta["issuer"]
        )
        headers = {"kid": provider.private_key_id} if provider.private_key_id else None
        client.register_client_auth_method(PrivateKeyJWT(audience, headers=headers))
    return client


def exchange_code(
    provider: EidProvider, *, redirect_uri: str, code: str, code_verifier: str
) -> dict[str, Any]:
    meta = metadata(provider)
    with oauth_client(provider, redirect_uri) as client:
        try:
            token = client.fetch_token(
                provider.server_url(meta["token_endpoint"]),
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
                redirect_uri=redirect_uri,
            )
        except OAuthError as error:
            # e.g. invalid_grant: a code used twice, or a verifier that does not match
            raise EidLoginError(
                "token_invalid", f"token endpoint refused: {error.error}", provider=provider.name
            ) from error
        except httpx.HTTPError as error:
            raise EidLoginError(
                "provider_unavailable",
                f"token request failed: {type(error).__name__}",
                provider=provider.name,
            ) from error
        except ValueError as error:
            raise EidLoginError(
                "provider_unavailable", "token response is not JSON", provider=provider.name
            ) from error
    if not token.get("id_token"):
        raise EidLoginError(
            "token_invalid", "token response has no id_token", provider=provider.name
        )
    return dict(token)


def userinfo(provider: EidProvider, access_token: str) -> dict[str, Any]:
    meta = metadata(provider)
    endpoint = meta.get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    try:
        with http_client() as client:
            response = client.get(
                provider.server_url(endpoint),
                headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            )
            response.raise_for_status()
            data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise EidLoginError(
            "provider_unavailable",
            f"userinfo failed: {type(error).__name__}",
            provider=provider.name,
        ) from error
    return data if isinstance(data, dict) else {}
