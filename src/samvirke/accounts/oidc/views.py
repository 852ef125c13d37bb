"""eID login pages: start (or choose a provider), the provider's callback, the citizen's
profile, and the one logout for everybody. Thin: the flow lives in `flow`."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout as django_logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from samvirke.accounts import national_id as national_id_format
from samvirke.accounts.oidc import client as oidc_client
from samvirke.accounts.oidc import flow
from samvirke.accounts.oidc.errors import EidLoginError
from samvirke.accounts.oidc.levels import Level
from samvirke.accounts.oidc.providers import all_providers, get_provider
from samvirke.accounts.services import (
    citizen_login_failure_record,
    citizen_logout_record,
    citizen_national_id_read,
)
from samvirke.core import ratelimit

logger = logging.getLogger("samvirke.accounts.oidc")


def _fail(request, error: EidLoginError, *, retry_query: dict | None = None):
    """The error page, a log line and an audit event; none of them hold pid or tokens."""
    logger.warning(
        "eID login refused: %s (%s)",
        error.code,
        error.reason,
        extra={"provider": error.provider, "code": error.code},
    )
    citizen_login_failure_record(provider=error.provider, code=error.code)
    retry_url = reverse("accounts:eid-login-start")
    if retry_query:
        retry_url += "?" + urlencode(retry_query)
    return render(
        request,
        "accounts/eid/error.html",
        {"error": error, "message": error.message, "retry_url": retry_url},
        status=error.status,
    )


@never_cache
@require_GET
def login_start(request):
    providers = all_providers()
    next_url = flow.safe_next(request, request.GET.get("next"))
    level = flow.required_level(request.GET.get("level"))
    chosen = request.GET.get("provider", "")
    if not chosen and len(providers) == 1:
        chosen = next(iter(providers))
    if not chosen:
        if not providers:
            return _fail(request, EidLoginError("unknown_provider", "no providers configured"))
        choices = [
            {
                "name": p.name,
                "label": p.label,
                "url": reverse("accounts:eid-login-start")
                + "?"
                + urlencode({"provider": p.name, "level": level.value, "next": next_url}),
            }
            for p in providers.values()
        ]
        return render(request, "accounts/eid/choose.html", {"providers": choices, "level": level})
    provider = get_provider(chosen, request)
    if provider is None:
        return _fail(request, EidLoginError("unknown_provider", "unknown provider requested"))
    try:
        url = flow.login_begin(
            request,
            provider,
            level=level,
            next_url=next_url,
            fresh=request.GET.get("fresh") == "1",
        )
    except EidLoginError as error:
        return _fail(
            request,
            error,
            retry_query={"provider": provider.name, "level": level.value, "next": next_url},
        )
    return redirect(url)


@never_cache
@require_GET
def callback(request):
    verdict = ratelimit.rate_limit_hit(ratelimit.Scope.EID_CALLBACK, request)
    if verdict.limited:
        return ratelimit.rate_limited_page(request, verdict)
    state = request.GET.get("state")
    try:
        pending = flow.take_pending(request, state)
    except EidLoginError as error:
        # also an access_denied for a login we no longer know: the same "start again"
        return _fail(request, error)
    retry = {"provider": pending.provider, "level": pending.level.value, "next": pending.next}
    provider = get_provider(pending.provider, request)
    if provider is None:
        return _fail(request, EidLoginError("unknown_provider", "provider no longer configured"))
    provider_error = request.GET.get("error")
    if provider_error:
        code = "cancelled" if provider_error == "access_denied" else "provider_error"
        # the error code is from a fixed vocabulary; the description is not logged
        reason = f"provider returned error={provider_error[:40]!r}"
        return _fail(
            request, EidLoginError(code, reason, provider=provider.name), retry_query=retry
        )
    try:
        flow.login_complete(
            request,
            provider,
            pending,
            code=request.GET.get("code", ""),
            iss_param=request.GET.get("iss"),
        )
    except EidLoginError as error:
        error.provider = error.provider or provider.name
        if error.code == "level_too_low":
            # the provider's session is at the lower level: the retry asks for a new login
            retry["fresh"] = "1"
        return _fail(request, error, retry_query=retry)
    return redirect(pending.next)


@never_cache
def profile(request):
    if not request.user.is_authenticated:
        return redirect(
            reverse("accounts:eid-login-start") + "?" + urlencode({"next": request.get_full_path()})
        )
    if not request.user.is_citizen:
        raise PermissionDenied
    number = citizen_national_id_read(
        actor=request.user, citizen=request.user, purpose="own profile page"
    )
    eid = request.session.get(flow.SESSION_KEY, {})
    provider = get_provider(eid.get("provider", ""), request) if eid else None
    level = eid.get("level")
    return render(
        request,
        "accounts/eid/profile.html",
        {
            "masked_national_id": national_id_format.masked(number),
            "provider_label": provider.label if provider else "",
            "level_label": {
                Level.SUBSTANTIAL.value: _("Substantial"),
                Level.HIGH.value: _("High"),
            }.get(level, ""),
        },
    )


@require_POST
def logout(request):
    """Logs out here, and at the eID provider when the session came from one (OpenID
    Connect RP-Initiated Logout 1.0, with id_token_hint and post_logout_redirect_uri)."""
    user = request.user if request.user.is_authenticated else None
    eid = request.session.get(flow.SESSION_KEY) if user is not None else None
    end_session = None
    if eid:
        provider = get_provider(eid.get("provider", ""), request)
        if provider is not None and provider.issuer == eid.get("issuer"):
            try:
                endpoint = oidc_client.metadata(provider).get("end_session_endpoint")
            except EidLoginError as error:
                logger.warning(
                    "eID provider unreachable at logout: %s",
                    error.reason,
                    extra={"provider": provider.name},
                )
                endpoint = None
            if endpoint:
                end_session = {
                    "endpoint": endpoint,
                    "method": provider.logout_method,
                    "provider_label": provider.label,
                    "params": {
                        "id_token_hint": eid["id_token"],
                        "post_logout_redirect_uri": request.build_absolute_uri(reverse("web:home")),
                        "client_id": provider.client_id,
                    },
                }
    if user is not None:
        citizen_logout_record(user=user, provider=eid.get("provider", "") if eid else None)
    django_logout(request)
    messages.info(request, _("You are logged out."))
    if end_session is None:
        return redirect("web:home")
    if end_session["method"] == "get":
        # for a provider that takes RP-initiated logout by GET only (LOGOUT_METHOD=get)
        separator = "&" if "?" in end_session["endpoint"] else "?"
        return redirect(end_session["endpoint"] + separator + urlencode(end_session["params"]))
    # By default by POST, not GET: the ID token (id_token_hint) holds the pid, and a GET
    # would put it in the URL, the browser history and the provider's access logs.
    return render(request, "accounts/eid/logout_continue.html", end_session)
