"""Staff sessions must have passed the second factor before they reach anything.

A staff user who has a confirmed authenticator, or whose role requires one (administrators
and regional coordinators), and whose session has not been verified with a code
(`request.user.is_verified()`, from django-otp's OTPMiddleware, which must run first) is
sent to the code step (or to set up an authenticator) for every page but the sign-in pages
themselves. API requests riding on such a session get a 403 in the API's error envelope;
token-authenticated API calls carry no session and are not affected.

Citizens sign in with eID, whose assurance level is the second factor: they pass through.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_otp import user_has_device

from samvirke.accounts import services
from samvirke.accounts.models import UserKind


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def open_prefixes(self) -> tuple[str, ...]:
        """Paths an unverified staff session may still use: the sign-in and reset pages,
        logout, language choice, static files and the health check."""
        names = (
            "accounts:staff-login",
            "accounts:staff-login-verify",
            "accounts:staff-login-enrol",
            "accounts:password-reset",
            "accounts:logout",
            "set_language",
            "health",
        )
        prefixes = [settings.STATIC_URL]
        for name in names:
            try:
                prefixes.append(reverse(name))
            except NoReverseMatch:  # an optional URL not mounted in this deployment
                continue
        return tuple(prefixes)

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.kind == UserKind.STAFF
            and not user.is_verified()
            and not request.path.startswith(self.open_prefixes)
            and (
                user_has_device(user, confirmed=True) or services.staff_requires_second_factor(user)
            )
        ):
            return self.refuse(request, user)
        return self.get_response(request)

    def refuse(self, request: HttpRequest, user):
        if request.path.startswith("/api/"):
            if request.META.get("HTTP_AUTHORIZATION", "").startswith("Token "):
                # DRF authenticates the token, not the session: not ours to refuse.
                return self.get_response(request)
            return JsonResponse(
                {
                    "error": {
                        # the API's envelope code `ApiErrorCode.SECOND_FACTOR_REQUIRED`
                        # (the api app sits above accounts and is not imported here)
                        "code": "second_factor_required",
                        "message": _(
                            "Sign in with your second factor before using the API "
                            "with this session."
                        ),
                        "request_id": getattr(request, "request_id", ""),
                    }
                },
                status=403,
            )
        step = (
            "accounts:staff-login-verify"
            if user_has_device(user, confirmed=True)
            else "accounts:staff-login-enrol"
        )
        next_url = request.get_full_path() if request.method == "GET" else "/admin/"
        return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
