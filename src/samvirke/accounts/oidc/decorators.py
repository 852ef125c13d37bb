"""Asking for an eID login at the level a service needs.

    @eid_login_required("high")
    def apply_for_home_care(request): ...

A citizen who is not logged in with eID, or whose login is below the level, is sent to the
eID login asking for that level, and comes back to the same page afterwards.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from samvirke.accounts.oidc.flow import SESSION_KEY
from samvirke.accounts.oidc.levels import Level, minimum_level, parse_level


def eid_level(request) -> Level | None:
    """The assurance level of the current session's eID login, if there is one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_citizen", False):
        return None
    login = request.session.get(SESSION_KEY) or {}
    return parse_level(login.get("level"))


def eid_login_required(level: str = "substantial"):
    wanted = parse_level(level)
    if wanted is None:
        raise ValueError(f"Unknown eID level {level!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            needed = max(wanted, minimum_level(), key=lambda lv: lv.rank)
            current = eid_level(request)
            if current is None or current < needed:
                query = urlencode({"level": needed.value, "next": request.get_full_path()})
                return redirect(f"{reverse('accounts:eid-login-start')}?{query}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
