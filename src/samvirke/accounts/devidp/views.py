"""A small OpenID provider for development and tests, at /dev-idp/ when
SAMVIRKE_DEV_IDP_ENABLED. It behaves like ID-porten where it matters to the relying party
(authorization code flow, PKCE S256 required, exact redirect URIs, RS256 ID tokens with
`pid`, `acr` and `amr`, userinfo, RP-initiated logout) and offers invented test persons
instead of a real login. Never enabled in production settings.

Codes and access tokens are *stateless*: signed with Django's signer (salted, time-limited)
and carrying a reference to a test person, never the number itself, so nothing needs to be
stored and every worker can redeem what another issued. That a code is redeemed only once
is recorded in Django's cache; with several workers that cache must be shared (database or
Redis cache) for the once-only rule to hold across workers — see docs/eid.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from urllib.parse import unquote_plus, urlencode

from django.core import signing
from django.core.cache import cache
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from joserfc import jws, jwt

from samvirke.accounts.devidp import keys
from samvirke.accounts.devidp.clients import (
    DEV_CLIENT_ID,
    dev_client_secret,
    issuer_for_request,
    post_logout_redirect_uri_allowed,
    redirect_uri_allowed,
)
from samvirke.accounts.devidp.persons import BY_KEY, PERSONS

CODE_SALT = "samvirke.devidp.code"
ACCESS_SALT = "samvirke.devidp.access-token"
CODE_SECONDS = 60
ACCESS_SECONDS = 600
ID_TOKEN_SECONDS = 300
LEVELS = {
    "substantial": "idporten-loa-substantial",
    "high": "idporten-loa-high",
}
AUTHORIZE_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "acr_values",
    "ui_locales",
    "prompt",
    "max_age",
)


def _url(request, name: str) -> str:
    """An endpoint under the issuer (pinned or this host's), as browsers and relying
    parties are to reach it."""
    issuer = issuer_for_request(request)
    return issuer.rstrip("/") + reverse(f"devidp:{name}").removeprefix(reverse("devidp:index")[:-1])


def index(request):
    return HttpResponseRedirect(reverse("devidp:configuration"))


@require_http_methods(["GET"])
def configuration(request):
    return JsonResponse(
        {
            "issuer": issuer_for_request(request),
            "authorization_endpoint": _url(request, "authorize"),
            "token_endpoint": _url(request, "token"),
            "userinfo_endpoint": _url(request, "userinfo"),
            "jwks_uri": _url(request, "jwks"),
            "end_session_endpoint": _url(request, "end-session"),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile"],
            "claims_supported": [
                "iss",
                "aud",
                "sub",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "acr",
                "amr",
                "jti",
                "pid",
                "name",
                "given_name",
                "family_name",
            ],
            "acr_values_supported": list(LEVELS.values()),
            "ui_locales_supported": ["nb", "nn", "en", "sv"],
            "authorization_response_iss_parameter_supported": True,
            "frontchannel_logout_supported": False,
        }
    )


@require_http_methods(["GET"])
def jwks(request):
    response = JsonResponse(keys.public_key_set())
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- authorization endpoint -------------------------------------------------------------


class _AuthorizeError(Exception):
    def __init__(self, error: str, description: str):
        super().__init__(description)
        self.error = error
        self.description = description


def _error_page(request, message: str, status: int = 400):
    return render(request, "devidp/error.html", {"message": message}, status=status)


def _redirect_with(redirect_uri: str, params: dict) -> HttpResponseRedirect:
    separator = "&" if "?" in redirect_uri else "?"
    return HttpResponseRedirect(redirect_uri + separator + urlencode(params))


def _validate_authorize(request, params: dict) -> None:
    if params.get("response_type") != "code":
        raise _AuthorizeError("unsupported_response_type", "Only response_type=code.")
    if "openid" not in (params.get("scope") or "").split():
        raise _AuthorizeError("invalid_scope", "The scope must include openid.")
    if not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
        raise _AuthorizeError(
            "invalid_request", "PKCE with code_challenge_method=S256 is required."
        )
    if not 43 <= len(params["code_challenge"]) <= 128:
        raise _AuthorizeError("invalid_request", "The code_challenge is malformed.")
    if not params.get("nonce"):
        raise _AuthorizeError("invalid_request", "A nonce is required.")
    if not params.get("state"):
        raise _AuthorizeError("invalid_request", "A state is required.")


def _requested_level(params: dict) -> str:
    requested = (params.get("acr_values") or "").split()
    for level in ("high", "substantial"):
        if LEVELS[level] in requested:
            return level
    return "substantial"


# The IdP's own single sign-on session: a signed cookie on its path, apart from the
# relying party's session, so that only the IdP's end-session endpoint ends it.
SSO_COOKIE = "samvirke_devidp_sso"
SSO_SALT = "samvirke.devidp.sso"
SSO_SECONDS = 30 * 60


def _sso(request) -> dict | None:
    raw = request.get_signed_cookie(SSO_COOKIE, default=None, salt=SSO_SALT, max_age=SSO_SECONDS)
    try:
        sso = json.loads(raw) if raw else None
    except ValueError:
        return None
    return sso if isinstance(sso, dict) and sso.get("person") in BY_KEY else None


def _sso_usable(sso: dict | None, params: dict, *, issuer: str) -> bool:
    if not sso or sso.get("issuer") != issuer or "login" in params["prompt"].split():
        return False
    if params["max_age"]:
        try:
            max_age = int(params["max_age"])
        except ValueError:
            return False
        return time.time() - sso["auth_time"] <= max_age
    return True


def _code(params: dict, person: str, acr: str, auth_time: int) -> str:
    return signing.dumps(
        {
            "jti": uuid.uuid4().hex,
            "client_id": params["client_id"],
            "redirect_uri": params["redirect_uri"],
            "code_challenge": params["code_challenge"],
            "nonce": params["nonce"],
            "person": person,
            "acr": acr,
            "auth_time": auth_time,
            "scope": params["scope"],
        },
        salt=CODE_SALT,
        compress=True,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request):
    source = request.POST if request.method == "POST" else request.GET
    params = {name: source.get(name, "") for name in AUTHORIZE_PARAMS}
    # Without a known client and its exact redirect URI we must not redirect anywhere.
    if params["client_id"] != DEV_CLIENT_ID:
        return _error_page(request, _("Unknown client."))
    if not redirect_uri_allowed(request, params["redirect_uri"]):
        return _error_page(request, _("The redirect address is not registered for this client."))
    base = {"state": params["state"], "iss": issuer_for_request(request)}
    try:
        _validate_authorize(request, params)
    except _AuthorizeError as error:
        return _redirect_with(
            params["redirect_uri"],
            {"error": error.error, "error_description": error.description, **base},
        )

    sso = _sso(request)
    if request.method == "GET" and _sso_usable(sso, params, issuer=base["iss"]):
        # single sign-on, like ID-porten: a live session at the IdP answers at once, with
        # the level it was made at, unless the client asks for a new login
        return _redirect_with(
            params["redirect_uri"],
            {"code": _code(params, sso["person"], sso["acr"], sso["auth_time"]), **base},
        )
    if request.method == "GET" and "none" in params["prompt"].split():
        return _redirect_with(
            params["redirect_uri"],
            {"error": "login_required", "error_description": "No session at the IdP.", **base},
        )

    errors = []
    chosen_person = source.get("person", "")
    chosen_level = source.get("level", "") or _requested_level(params)
    if request.method == "POST":
        if source.get("action") == "cancel":
            return _redirect_with(
                params["redirect_uri"],
                {
                    "error": "access_denied",
                    "error_description": "The user cancelled the login.",
                    **base,
                },
            )
        if chosen_person not in BY_KEY:
            errors.append(
                {"field": "person-" + PERSONS[0].key, "message": _("Choose a test person.")}
            )
        if chosen_level not in LEVELS:
            errors.append({"field": "level-substantial", "message": _("Choose a security level.")})
        if not errors:
            auth_time = int(time.time())
            code = _code(params, chosen_person, LEVELS[chosen_level], auth_time)
            response = _redirect_with(params["redirect_uri"], {"code": code, **base})
            sso = {
                "issuer": base["iss"],
                "person": chosen_person,
                "acr": LEVELS[chosen_level],
                "auth_time": auth_time,
            }
            response.set_signed_cookie(
                SSO_COOKIE,
                json.dumps(sso),
                salt=SSO_SALT,
                max_age=SSO_SECONDS,
                path=reverse("devidp:index"),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response

    return render(
        request,
        "devidp/login.html",
        {
            "params": params,
            "persons": PERSONS,
            "levels": [
                ("substantial", _("Substantial (like MinID or BankID on mobile)")),
                ("high", _("High (like BankID or Buypass)")),
            ],
            "chosen_person": chosen_person,
            "chosen_level": chosen_level,
            "requested_level": _requested_level(params),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --- token endpoint ---------------------------------------------------------------------


def _token_error(error: str, description: str, status: int = 400) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="dev-idp"'
    return response


def _client_credentials(request) -> tuple[str, str]:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except (ValueError, UnicodeDecodeError):
            return "", ""
        client_id, _sep, secret = decoded.partition(":")
        return unquote_plus(client_id), unquote_plus(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


def _pkce_matches(verifier: str, challenge: str) -> bool:
    if not 43 <= len(verifier) <= 128:
        return False
    digest = hashlib.sha256(verifier.encode("ascii", "ignore")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return constant_time_compare(computed, challenge)


def _subject(person_key: str, client_id: str) -> str:
    """A pairwise subject, like ID-porten's: stable per person and client, not the pid."""
    return salted_hmac("samvirke.devidp.sub", f"{client_id}:{person_key}").hexdigest()[:43]


def person_claims(person_key: str, client_id: str) -> dict:
    person = BY_KEY[person_key]
    return {
        "sub": _subject(person_key, client_id),
        "pid": person.national_id,
        "name": person.name,
        "given_name": person.given_name,
        "family_name": person.family_name,
    }


def sign(claims: dict) -> str:
    key = keys.signing_key()
    return jwt.encode(
        {"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key, algorithms=["RS256"]
    )


@csrf_exempt
@require_http_methods(["POST"])
def token(request):
    client_id, secret = _client_credentials(request)
    if client_id != DEV_CLIENT_ID or not constant_time_compare(secret, dev_client_secret()):
        return _token_error("invalid_client", "Client authentication failed.", 401)
    if request.POST.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type", "Only authorization_code.")
    try:
        code = signing.loads(request.POST.get("code", ""), salt=CODE_SALT, max_age=CODE_SECONDS)
    except signing.BadSignature:
        return _token_error("invalid_grant", "The code is invalid or has expired.")
    if code["client_id"] != client_id:
        return _token_error("invalid_grant", "The code was issued to another client.")
    if request.POST.get("redirect_uri") != code["redirect_uri"]:
        return _token_error("invalid_grant", "The redirect_uri does not match.")
    if not _pkce_matches(request.POST.get("code_verifier", ""), code["code_challenge"]):
        return _token_error("invalid_grant", "The code_verifier does not match.")
    if not cache.add(f"samvirke:devidp:code-used:{code['jti']}", 1, CODE_SECONDS * 2):
        return _token_error("invalid_grant", "The code has already been used.")

    now = int(time.time())
    issuer = issuer_for_request(request)
    id_token = sign(
        {
            "iss": issuer,
            "aud": client_id,
            "exp": now + ID_TOKEN_SECONDS,
            "iat": now,
            "auth_time": code["auth_time"],
            "nonce": code["nonce"],
            "acr": code["acr"],
            "amr": ["TestID"],
            "jti": uuid.uuid4().hex,
            **person_claims(code["person"], client_id),
        }
    )
    access_token = signing.dumps(
        {"person": code["person"], "client_id": client_id, "iss": issuer}, salt=ACCESS_SALT
    )
    response = JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ACCESS_SECONDS,
            "id_token": id_token,
            "scope": code["scope"],
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def userinfo(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("bearer "):
        return _token_error("invalid_token", "A bearer token is required.", 401)
    try:
        grant = signing.loads(header[7:].strip(), salt=ACCESS_SALT, max_age=ACCESS_SECONDS)
    except signing.BadSignature:
        return _token_error("invalid_token", "The access token is invalid or has expired.", 401)
    response = JsonResponse(person_claims(grant["person"], grant["client_id"]))
    response["Cache-Control"] = "no-store"
    return response


# --- RP-initiated logout ----------------------------------------------------------------


@never_cache
@csrf_exempt  # the relying party posts here from its own origin
@require_http_methods(["GET", "POST"])
def end_session(request):
    source = request.POST if request.method == "POST" else request.GET
    hint = source.get("id_token_hint", "")
    target = source.get("post_logout_redirect_uri", "")
    if hint:
        try:
            # an expired hint is fine (the session may be hours old); a forged one is not
            signed = jws.deserialize_compact(hint, keys.verification_keys(), algorithms=["RS256"])
            claims = json.loads(signed.payload)
        except Exception:
            return _error_page(request, _("The logout request could not be verified."))
        if claims.get("iss") != issuer_for_request(request) or claims.get("aud") != DEV_CLIENT_ID:
            return _error_page(request, _("The logout request could not be verified."))
    if target and (not hint or not post_logout_redirect_uri_allowed(request, target)):
        return _error_page(request, _("The address to return to is not registered."))
    if target:
        params = {"state": source["state"]} if source.get("state") else {}
        response = _redirect_with(target, params) if params else HttpResponseRedirect(target)
    else:
        response = render(request, "devidp/logged_out.html")
    # the IdP's own session ends: the next login asks again
    response.delete_cookie(SSO_COOKIE, path=reverse("devidp:index"), samesite="Lax")
    return response
