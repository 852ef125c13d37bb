"""eID providers (identitetsleverandører) as plugins: ID-porten, BankID and Freja all speak
OpenID Connect, so each is *configuration* of one plugin kind, read from the environment.

    SAMVIRKE_OIDC_PROVIDERS=idporten,bankid
    SAMVIRKE_OIDC_IDPORTEN_ISSUER=https://idporten.no/
    SAMVIRKE_OIDC_IDPORTEN_CLIENT_ID=...
    SAMVIRKE_OIDC_IDPORTEN_PRIVATE_KEY_FILE=/run/secrets/idporten.pem
    SAMVIRKE_OIDC_IDPORTEN_TOKEN_AUTH_METHOD=private_key_jwt
    SAMVIRKE_OIDC_IDPORTEN_LOGOUT_METHOD=get
    ...

The issuer is the provider's public name: browsers are sent to the endpoints its discovery
document names. Our own server-to-server calls (discovery, token, key set, userinfo) go
to `_INTERNAL_URL` instead when it is set: the same paths under another base URL, so they
never depend on a host name only the browser can resolve.

A provider whose login does not fit plain OIDC (an extra claim transformation, a different
level vocabulary) is a subclass of `EidProvider` registered as a kind in the
`eid_provider_kinds` registry (`@eid_provider_kinds.register("freja")`), chosen with
`SAMVIRKE_OIDC_<NAME>_KIND`. See docs/eid.md for every variable and docs/plugins.md for
the registry.

When the development identity provider is switched on, a provider called `dev` is added
that points at this very site's `/dev-idp/`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from joserfc.jwk import RSAKey, import_key

from samvirke.accounts.devidp.clients import (
    DEV_CLIENT_ID,
    dev_client_secret,
    dev_issuer,
    issuer_for_request,
)
from samvirke.accounts.oidc.levels import DEFAULT_ACR_VALUES, Level, parse_acr_mapping
from samvirke.core.registry import Plugin, Registry, UnknownPluginError

ENV_PREFIX = "SAMVIRKE_OIDC_"
DEV_PROVIDER = "dev"


# The kinds of provider, by the identifier SAMVIRKE_OIDC_<NAME>_KIND names: each is a
# class, instantiated once for every configured provider of that kind.
eid_provider_kinds: Registry[EidProvider] = Registry(_("eID provider kind"))


@eid_provider_kinds.register("oidc")
@dataclass(frozen=True)
class EidProvider(Plugin):
    """One configured OpenID provider (the plain OpenID Connect kind). Subclasses may
    override the hooks below."""

    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str = field(default="", repr=False)
    private_key_file: str = ""
    private_key_id: str = ""
    scopes: tuple[str, ...] = ("openid", "profile")
    # our level -> the provider's acr value
    acr_values: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ACR_VALUES))
    pid_claim: str = "pid"
    use_userinfo: bool = False
    # aud of the private_key_jwt client assertion: ID-porten wants its issuer
    assertion_audience: str = "issuer"
    # base URL for our server-to-server calls in place of the issuer ("" = the issuer)
    internal_url: str = ""
    # client_secret_basic, client_secret_post or private_key_jwt ("" = from the credentials)
    token_auth_method: str = ""
    # RP-initiated logout: "post" (a form, keeps the ID token out of URLs) or "get"
    logout_method: str = "post"
    # what a step-up adds to the authorization request, as the provider expects it
    step_up: str = "prompt=login&max_age=0"
    verbose_name: ClassVar[str | Promise] = _("OpenID Connect")

    # --- hooks -----------------------------------------------------------------------
    def for_request(self, request) -> EidProvider:
        """The provider as seen from this request (the dev provider follows the host)."""
        return self

    @property
    def token_endpoint_auth_method(self) -> str:
        if self.token_auth_method:
            return self.token_auth_method
        if self.private_key_file:
            return "private_key_jwt"
        return "client_secret_basic"

    @property
    def step_up_parameters(self) -> dict[str, str]:
        return dict(parse_qsl(self.step_up))

    def server_url(self, url: str) -> str:
        """`url` as our server reaches it: under `internal_url` when the provider has one
        and `url` lies under its issuer's origin; otherwise unchanged."""
        if not self.internal_url:
            return url
        public, internal = _origin_and_path(self.issuer), _origin_and_path(self.internal_url)
        if url.startswith(public[0] + "/") or url == public[0]:
            rest = url[len(public[0]) :]
            if rest.startswith(public[1]):
                return internal[0] + internal[1] + rest[len(public[1]) :]
            return internal[0] + rest
        return url

    def private_key(self):
        """The client's private key for private_key_jwt, from a PEM or JWK file."""
        data = Path(self.private_key_file).read_bytes()
        text = data.decode("utf-8").strip()
        return import_key(json.loads(text)) if text.startswith("{") else RSAKey.import_key(data)

    def acr_value_for(self, level: Level) -> str | None:
        """The provider's acr value to ask for: the lowest it offers at or above `level`."""
        for candidate in sorted(Level, key=lambda lv: lv.rank):
            if candidate >= level and candidate.value in self.acr_values:
                return self.acr_values[candidate.value]
        return None

    def level_for(self, acr: str | None) -> Level | None:
        """Our level for the provider's `acr` claim; None when the value is unknown."""
        for level_name, value in self.acr_values.items():
            if value == acr:
                return Level(level_name)
        return None

    def national_id_from(self, claims: dict[str, Any]) -> str | None:
        value = claims.get(self.pid_claim)
        return str(value) if value else None

    def full_name_from(self, claims: dict[str, Any]) -> str:
        if claims.get("name"):
            return str(claims["name"])
        parts = [claims.get("given_name"), claims.get("family_name")]
        return " ".join(str(p) for p in parts if p)


@eid_provider_kinds.register("dev")
class DevEidProvider(EidProvider):
    """The bundled development identity provider, at /dev-idp/ on this same site. Its
    issuer follows the host the browser used (so it works on a test server's random port),
    unless SAMVIRKE_OIDC_DEV_ISSUER pins it."""

    verbose_name: ClassVar[str | Promise] = _("Development identity provider")

    def for_request(self, request) -> EidProvider:
        if self.issuer or request is None:
            return self
        return replace(self, issuer=issuer_for_request(request))


TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post", "private_key_jwt")
LOGOUT_METHODS = ("post", "get")


def _origin_and_path(url: str) -> tuple[str, str]:
    """`https://idp.example/a/` -> ("https://idp.example", "/a/")."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}", parts.path or "/"


def _checked_methods(name: str, *, token: str, logout: str, secret: str, key_file: str) -> None:
    if token and token not in TOKEN_AUTH_METHODS:
        raise ImproperlyConfigured(
            f"eID provider {name!r}: TOKEN_AUTH_METHOD must be one of "
            f"{', '.join(TOKEN_AUTH_METHODS)}."
        )
    if token == "private_key_jwt" and not key_file:
        raise ImproperlyConfigured(f"eID provider {name!r}: private_key_jwt needs a key file.")
    if token.startswith("client_secret") and not secret:
        raise ImproperlyConfigured(f"eID provider {name!r}: {token} needs _CLIENT_SECRET.")
    if logout not in LOGOUT_METHODS:
        raise ImproperlyConfigured(f"eID provider {name!r}: LOGOUT_METHOD must be post or get.")


def _env(name: str, var: str, default: str = "") -> str:
    return os.environ.get(f"{ENV_PREFIX}{name.upper()}_{var}", "").strip() or default


def _provider_from_env(name: str) -> EidProvider:
    kind = _env(name, "KIND", "oidc")
    try:
        cls = eid_provider_kinds[kind]
    except UnknownPluginError:
        raise ImproperlyConfigured(f"Unknown eID provider kind {kind!r} for {name!r}.") from None
    issuer = _env(name, "ISSUER")
    client_id = _env(name, "CLIENT_ID")
    if not issuer or not client_id:
        raise ImproperlyConfigured(
            f"eID provider {name!r} needs {ENV_PREFIX}{name.upper()}_ISSUER and _CLIENT_ID."
        )
    secret = _env(name, "CLIENT_SECRET")
    key_file = _env(name, "PRIVATE_KEY_FILE")
    if not secret and not key_file:
        raise ImproperlyConfigured(
            f"eID provider {name!r} needs _CLIENT_SECRET or _PRIVATE_KEY_FILE."
        )
    token_method = _env(name, "TOKEN_AUTH_METHOD").lower()
    logout_method = _env(name, "LOGOUT_METHOD", "post").lower()
    _checked_methods(
        name, token=token_method, logout=logout_method, secret=secret, key_file=key_file
    )
    scopes = tuple(_env(name, "SCOPES", "openid profile").replace(",", " ").split())
    if "openid" not in scopes:
        scopes = ("openid", *scopes)
    return cls(
        name=name,
        label=_env(name, "LABEL", name),
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        private_key_file=key_file,
        private_key_id=_env(name, "PRIVATE_KEY_ID"),
        scopes=scopes,
        acr_values=parse_acr_mapping(_env(name, "ACR_VALUES")),
        pid_claim=_env(name, "PID_CLAIM", "pid"),
        use_userinfo=_env(name, "USERINFO", "false").lower() in {"1", "true", "yes", "on"},
        assertion_audience=_env(name, "ASSERTION_AUDIENCE", "issuer"),
        internal_url=_env(name, "INTERNAL_URL"),
        step_up=_env(name, "STEP_UP", "prompt=login&max_age=0"),
        token_auth_method=token_method,
        logout_method=logout_method,
    )


def _dev_provider() -> EidProvider:
    logout_method = (
        getattr(settings, "SAMVIRKE_OIDC_DEV_LOGOUT_METHOD", "")
        or _env(DEV_PROVIDER, "LOGOUT_METHOD", "post")
    ).lower()
    token_method = (
        getattr(settings, "SAMVIRKE_OIDC_DEV_TOKEN_AUTH_METHOD", "")
        or _env(DEV_PROVIDER, "TOKEN_AUTH_METHOD")
    ).lower()
    secret = dev_client_secret()
    _checked_methods(
        DEV_PROVIDER, token=token_method, logout=logout_method, secret=secret, key_file=""
    )
    return DevEidProvider(
        name=DEV_PROVIDER,
        label=str(_("Test identity provider (test data only)")),
        issuer=dev_issuer(),
        client_id=DEV_CLIENT_ID,
        client_secret=secret,
        scopes=("openid", "profile"),
        internal_url=getattr(settings, "SAMVIRKE_OIDC_DEV_INTERNAL_URL", "")
        or _env(DEV_PROVIDER, "INTERNAL_URL"),
        token_auth_method=token_method,
        logout_method=logout_method,
    )


def configured_names() -> list[str]:
    raw = getattr(settings, "SAMVIRKE_OIDC_PROVIDERS", None)
    if raw is None:
        raw = os.environ.get("SAMVIRKE_OIDC_PROVIDERS", "")
    names = raw if isinstance(raw, (list, tuple)) else raw.split(",")
    return [n.strip().lower() for n in names if n.strip()]


def all_providers() -> dict[str, EidProvider]:
    """Every configured provider, in the configured order (read on each call: cheap, and
    it lets an operator's environment be the only source of truth)."""
    providers: dict[str, EidProvider] = {}
    for name in configured_names():
        if name == DEV_PROVIDER:
            continue
        if not name.isidentifier():
            raise ImproperlyConfigured(f"eID provider name {name!r} must be a simple word.")
        providers[name] = _provider_from_env(name)
    if getattr(settings, "SAMVIRKE_DEV_IDP_ENABLED", False):
        providers[DEV_PROVIDER] = _dev_provider()
    return providers


def get_provider(name: str, request=None) -> EidProvider | None:
    provider = all_providers().get(name)
    return provider.for_request(request) if provider is not None else None
