"""The one client the development identity provider knows: this site's own relying party.

Its secret is derived from SECRET_KEY, so both ends agree without a secret in the code or
the environment, and it changes whenever SECRET_KEY does. Redirect URIs are exact: the
eID callback and the home page (after logout) on the origin the IdP is reached at.
"""

from __future__ import annotations

from django.conf import settings
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


def issuer_for_request(request) -> str:
    """`<origin>/dev-idp/`: the IdP follows the host name it is reached at, so the same
    code serves `make run` on localhost:8000 and a test server on a random port."""
    pinned = getattr(settings, "SAMVIRKE_OIDC_DEV_ISSUER", "")
    if pinned:
        return pinned
    return origin_for_request(request) + reverse("devidp:index")


def redirect_uris(request) -> set[str]:
    return {origin_for_request(request) + reverse("accounts:eid-callback")}


def post_logout_redirect_uris(request) -> set[str]:
    return {origin_for_request(request) + reverse("web:home")}
