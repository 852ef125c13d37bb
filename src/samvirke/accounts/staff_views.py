"""Staff sign-in: user name and password, then the second factor (a TOTP code from an
authenticator app), with lockout after repeated failures and password reset by e-mail.

Between the password and the code the user is *not* logged in: the session only holds a
"half-login" (who, where to go next, how many wrong codes). Only a correct code turns it
into a Django login, so no session ever exists that has passed the password alone. A
session that is logged in but not verified can still arise (a session from before the
user got a device, or a second factor reset by an administrator);
`StaffSecondFactorMiddleware` sends those here too.

Failures count towards django-axes' lockout: wrong passwords through `authenticate()`,
wrong codes through the same `user_login_failed` signal.
"""

from __future__ import annotations

import time
from base64 import b32encode
from datetime import timedelta
from urllib.parse import quote, urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts import selectors, services
from samvirke.accounts.forms import (
    OneTimeCodeForm,
    StaffLoginForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
)
from samvirke.accounts.models import User, UserKind
from samvirke.core import ratelimit

PENDING_SESSION_KEY = "samvirke_staff_pending_login"
ENROL_DEVICE_SESSION_KEY = "samvirke_staff_enrol_device"
CODE_FAILURES_SESSION_KEY = "samvirke_staff_code_failures"
# A half-login lasts this long: enough to find the phone, short enough to be forgotten.
PENDING_LIFETIME_SECONDS = 10 * 60
# Wrong codes that end a half-login (axes may lock the user name out sooner).
MAX_CODE_FAILURES = 5
ISSUER = "Samvirke"


# --- where to go afterwards --------------------------------------------------------------


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _next_from_request(request: HttpRequest) -> str:
    return _safe_next(request, request.POST.get("next") or request.GET.get("next"))


# --- the half-login in the session ----------------------------------------------------------


def _pending_start(request: HttpRequest, user: User, next_url: str) -> None:
    request.session.cycle_key()  # a new session id once the password is known
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "backend": user.backend,
        "next": next_url,
        "failures": 0,
        "started": int(time.time()),
    }


def _pending(request: HttpRequest) -> dict | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        return None
    if time.time() - pending.get("started", 0) > PENDING_LIFETIME_SECONDS:
        _pending_end(request)
        return None
    return pending


def _pending_end(request: HttpRequest) -> None:
    for key in (PENDING_SESSION_KEY, ENROL_DEVICE_SESSION_KEY, CODE_FAILURES_SESSION_KEY):
        request.session.pop(key, None)


def _second_factor_subject(request: HttpRequest) -> tuple[User | None, dict | None]:
    """Whose second factor this request is about: the half-logged-in user, or a logged-in
    staff user whose session is not verified yet (or who is enrolling voluntarily)."""
    pending = _pending(request)
    if pending is not None:
        user = selectors.staff_user_signing_in(pending["user_id"])
        if user is None:
            _pending_end(request)
        return user, pending
    user = request.user
    if user.is_authenticated and user.kind == UserKind.STAFF:
        return user, None
    return None, None


def _complete_login(request: HttpRequest, user: User, pending: dict | None, device) -> None:
    """Turns a half-login into a Django login (or marks an existing session verified)."""
    if pending is not None:
        auth_login(request, user, backend=pending["backend"])
    if device is not None:
        otp_login(request, device)
    _pending_end(request)
    services.staff_login_record(user=user, second_factor="totp" if device else "none")


def _code_failed(
    request: HttpRequest, user: User, pending: dict | None, *, step: str, count_for_lockout: bool
) -> HttpResponse | None:
    """Records a wrong code. Returns the response that ends the attempt when there have
    been too many, or None to let the user try again."""
    services.staff_login_failure_record(username=user.username, step=step)
    if count_for_lockout:
        # The same signal a wrong password sends: axes counts it against the user name.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.username}, request=request
        )
    if pending is not None:
        pending["failures"] = pending.get("failures", 0) + 1
        request.session[PENDING_SESSION_KEY] = pending
        failures = pending["failures"]
    else:
        failures = request.session.get(CODE_FAILURES_SESSION_KEY, 0) + 1
        request.session[CODE_FAILURES_SESSION_KEY] = failures
    if getattr(request, "axes_locked_out", False):
        _end_attempt(request, pending)
        return lockout_response(request, credentials={"username": user.username})
    if failures >= MAX_CODE_FAILURES:
        _end_attempt(request, pending)
        messages.error(request, _("Too many wrong codes. Sign in again."))
        return redirect("accounts:staff-login")
    return None


def _end_attempt(request: HttpRequest, pending: dict | None) -> None:
    if pending is None and request.user.is_authenticated:
        auth_logout(request)  # an unverified session that cannot produce a code
    _pending_end(request)


def _is_locked(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


# --- the pages ----------------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def staff_login(request: HttpRequest) -> HttpResponse:
    next_url = _next_from_request(request)
    user = request.user
    if user.is_authenticated and user.kind == UserKind.STAFF:
        if user.is_verified() or not _needs_second_factor(user):
            return redirect(next_url)
        return redirect(_second_factor_url(user, next_url))

    form = StaffLoginForm(request.POST or None)
    # failed logins from one address across user names (password spraying): over the
    # limit, no password is tried at all; the form comes back with the user name
    spraying = ratelimit.rate_limit_peek(ratelimit.Scope.STAFF_LOGIN_FAILURE, request)
    if request.method == "POST" and spraying.limited:
        form.is_valid()
        form.add_error(None, ratelimit.rate_limited_message(spraying, kept=False))
        services.staff_login_failure_record(
            username=str(form.data.get("username", ""))[:150], step="rate_limited"
        )
        return spraying.apply(
            render(request, "accounts/staff/login.html", {"form": form, "next": next_url})
        )
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(
            request=request, username=username, password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            services.staff_login_failure_record(username=username, step="locked_out")
            return lockout_response(request, credentials={"username": username})
        if user is not None and user.kind != UserKind.STAFF:
            # A citizen account with a password (none should have one): not a staff login.
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=request
            )
            user = None
        if user is None:
            services.staff_login_failure_record(username=username, step="password")
            ratelimit.rate_limit_hit(ratelimit.Scope.STAFF_LOGIN_FAILURE, request)
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request, credentials={"username": username})
            form.add_error(None, _("The user name or password is wrong."))
        else:
            _pending_end(request)
            if user_has_device(user, confirmed=True):
                _pending_start(request, user, next_url)
                return redirect("accounts:staff-login-verify")
            if services.staff_requires_second_factor(user):
                _pending_start(request, user, next_url)
                return redirect("accounts:staff-login-enrol")
            auth_login(request, user)
            services.staff_login_record(user=user, second_factor="none")
            return redirect(next_url)
    return render(request, "accounts/staff/login.html", {"form": form, "next": next_url})


def _needs_second_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True) or services.staff_requires_second_factor(user)


def _second_factor_url(user: User, next_url: str) -> str:
    name = (
        "accounts:staff-login-verify"
        if user_has_device(user, confirmed=True)
        else "accounts:staff-login-enrol"
    )
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def staff_login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the authenticator app."""
    user, pending = _second_factor_subject(request)
    if user is None:
        return redirect("accounts:staff-login")
    next_url = pending["next"] if pending else _next_from_request(request)
    if pending is None and user.is_verified():
        return redirect(next_url)
    if not user_has_device(user, confirmed=True):
        return redirect(_second_factor_url(user, next_url))
    if _is_locked(request, user.username):
        _end_attempt(request, pending)
        return lockout_response(request, credentials={"username": user.username})

    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttle_wait_seconds(user)
        if wait:
            # django-otp slows down guessing after a wrong code: not a new failure.
            form.add_error(
                "code",
                ngettext(
                    "Wait %(seconds)d second before you try again.",
                    "Wait %(seconds)d seconds before you try again.",
                    wait,
                )
                % {"seconds": wait},
            )
            return render(
                request,
                "accounts/staff/verify.html",
                {"form": form, "next": next_url, "staff_user": user},
            )
        device = services.staff_second_factor_check(user=user, code=form.cleaned_data["code"])
        if device is not None:
            _complete_login(request, user, pending, device)
            return redirect(next_url)
        ended = _code_failed(request, user, pending, step="totp", count_for_lockout=True)
        if ended is not None:
            return ended
        form.add_error(
            "code", _("The code is wrong or has expired. Try the code the app shows now.")
        )
    return render(
        request, "accounts/staff/verify.html", {"form": form, "next": next_url, "staff_user": user}
    )


def _throttle_wait_seconds(user: User) -> int:
    """Seconds until any of the user's devices accepts a code again (0: one does now)."""
    waits = []
    for device in devices_for_user(user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if allowed:
            return 0
        locked_until = (info or {}).get("locked_until")
        waits.append(
            max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
        )
    return min(waits) if waits else 0


def _enrol_device(request: HttpRequest, user: User) -> TOTPDevice:
    """The unconfirmed authenticator this session is setting up (one per session, so a
    reload shows the same QR code)."""
    device_id = request.session.get(ENROL_DEVICE_SESSION_KEY)
    device = selectors.totp_device_enrolling(user=user, device_id=device_id)
    if device is None:
        device = services.totp_device_create(user=user)
        request.session[ENROL_DEVICE_SESSION_KEY] = device.pk
    return device


def _otpauth_url(device: TOTPDevice, secret: str) -> str:
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    query = urlencode(
        {
            "secret": secret,
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{query}"


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def staff_login_enrol(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: required for administrators and regional
    coordinators before they get in, voluntary for everyone else (from the Security page)."""
    user, pending = _second_factor_subject(request)
    if user is None:
        return redirect("accounts:staff-login")
    if pending is None:
        next_url = _safe_next(
            request,
            request.POST.get("next")
            or request.GET.get("next")
            or reverse("accounts:staff-security"),
        )
    else:
        next_url = pending["next"]
    if user_has_device(user, confirmed=True):
        # Only someone without an authenticator may add one here; otherwise the code first.
        if pending is not None or not user.is_verified():
            return redirect(_second_factor_url(user, next_url))
        messages.info(request, _("Two-step verification is already set up."))
        return redirect("accounts:staff-security")
    if _is_locked(request, user.username):
        _end_attempt(request, pending)
        return lockout_response(request, credentials={"username": user.username})

    device = _enrol_device(request, user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_check(device=device, code=form.cleaned_data["code"]):
            services.staff_second_factor_confirm(user=user, device=device)
            _complete_login(request, user, pending, device)
            if pending is None:
                messages.success(request, _("Two-step verification is now set up."))
            return redirect(next_url)
        # A typo while setting up is not an attack on the account: it ends the attempt
        # after a few tries but does not count towards the lockout.
        ended = _code_failed(request, user, pending, step="enrolment", count_for_lockout=False)
        if ended is not None:
            return ended
        form.add_error(
            "code",
            _(
                "The code did not match. Check that the app shows "
                "Samvirke and type the code it shows now."
            ),
        )
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    qr_code = segno.make(_otpauth_url(device, secret), error="m")
    return render(
        request,
        "accounts/staff/enrol.html",
        {
            "form": form,
            "next": next_url,
            "staff_user": user,
            "required": services.staff_requires_second_factor(user),
            "qr_svg": qr_code.svg_inline(scale=5, dark="#000", light="#fff"),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "secret": secret,
        },
    )


@login_required
@never_cache
def staff_security(request: HttpRequest) -> HttpResponse:
    """A staff member's own sign-in security: whether two-step verification is on."""
    user = request.user
    if user.kind != UserKind.STAFF:
        raise Http404
    return render(
        request,
        "accounts/staff/security.html",
        {
            "has_device": user_has_device(user, confirmed=True),
            "required": services.staff_requires_second_factor(user),
        },
    )


# --- lockout --------------------------------------------------------------------------


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page shown when django-axes has locked the user name out (AXES_LOCKOUT_CALLABLE):
    when to try again, and how to get in sooner."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request) or timedelta(0)
    last_attempt = None
    if username:
        last_attempt = AccessAttempt.objects.filter(username=username).aggregate(
            last=Max("attempt_time")
        )["last"]
    retry_at = (last_attempt or timezone.now()) + cool_off
    retry_after = max(int((retry_at - timezone.now()).total_seconds()), 60)
    _pending_end(request)
    response = render(
        request,
        "accounts/staff/lockout.html",
        {
            "retry_at": retry_at,
            "minutes": (retry_after + 59) // 60,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


# --- password reset -------------------------------------------------------------------


class StaffPasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = "accounts/staff/password_reset_form.html"
    email_template_name = "accounts/staff/email/password_reset_body.txt"
    subject_template_name = "accounts/staff/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class StaffPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/staff/password_reset_done.html"


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = StaffSetPasswordForm
    template_name = "accounts/staff/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.staff_password_was_reset(user=form.user)
        return response


class StaffPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/staff/password_reset_complete.html"
