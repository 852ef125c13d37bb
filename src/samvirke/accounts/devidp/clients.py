"""The one client the development identity provider knows: this site's own relying party.

Its secret is derived from SECRET_KEY, so both ends agree without a secret in the code or
the environment, and it changes whenever SECRET_KEY does. Redirect URIs are exact paths: the
eID callback and the home page (after logout), on any host name the site answers to (the
member municipalities' portals log in through the one IdP).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.urls import reverse
from django.utils.crypto import salted_hmac

DEV_CLIENT_ID = "samvirke-dev"


def dev_client_secret() -> str:
    return salted_hmac(
        "samvirke.devidp.client-secret",
        DEV_CLIENT_ID,
        secret=settings.SECRET_KEY,
        algorithm="sha256",
    ).hexdigest()


def origin_for_request(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def dev_issuer() -> str:
    """The pinned issuer (setting or variable SAMVIRKE_OIDC_DEV_ISSUER), or "" when the
    IdP follows the host it is reached at."""
    return getattr(settings, "SAMVIRKE_OIDC_DEV_ISSUER", "") or os.environ.get(
        "SAMVIRKE_OIDC_DEV_ISSUER", ""
    )


def issuer_for_request(request) -> str:
    """The pinned issuer, so that every host of the site (the municipal portals too) logs
    in through one provider; unpinned, `<origin>/dev-idp/`: the IdP follows the host name
    it is reached at, so the same code serves a test server on a random port."""
    return dev_issuer() or origin_for_request(request) + reverse("devidp:index")


def _on_this_site(url: str, path: str) -> bool:
    """`url` is `path` on a host this site answers to (any of ALLOWED_HOSTS): the portals
    of the member municipalities have their own host names, and all log in here."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.query or parts.fragment:
        return False
    host = parts.hostname or ""
    # "*" (the test settings) would let the IdP send codes anywhere: then loopback names only
    allowed = list(settings.ALLOWED_HOSTS)
    if "*" in allowed:
        allowed = ["localhost", ".localhost", "127.0.0.1", "[::1]", "testserver"]
    return parts.path == path and bool(host) and validate_host(host, allowed)


def redirect_uri_allowed(request, uri: str) -> bool:
    return uri == origin_for_request(request) + reverse("accounts:eid-callback") or _on_this_site(
        uri, reverse("accounts:eid-callback")
    )


def post_logout_redirect_uri_allowed(request, uri: str) -> bool:
    return uri == origin_for_request(request) + reverse("web:home") or _on_this_site(
        uri, reverse("web:home")
    )
