"""Asking for an eID login at the level a service needs.

    @eid_login_required("high")
    def apply_for_home_care(request): ...

A citizen who is not logged in with eID, or whose login is below the level, is sent to the
eID login asking for that level, and comes back to the same page afterwards.

A form step posted after the login has ended (an expired session, a page left open for a
long time) loses nothing: with `keep_posted=True` the posted answers are kept in the
session (`keep_posted_answers`), the citizen is asked to log in again, and the step takes
them back (`take_kept_answers`) when it is shown after the login. The CSRF failure page
keeps them the same way.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.http import QueryDict
from django.shortcuts import redirect, render
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


KEPT_SESSION_KEY = "samvirke.kept_answers"
KEPT_SECONDS = 60 * 60  # long enough to log in again, not a store of answers
KEPT_MAX_BYTES = 64 * 1024
NOT_KEPT = frozenset({"csrfmiddlewaretoken"})


@dataclass(frozen=True)
class KeptAnswers:
    data: QueryDict
    had_files: bool


def keep_posted_answers(request) -> bool:
    """Keeps what this POST carried (not its files, not the CSRF token) in the session, for
    this address only, for an hour. Returns whether anything was kept."""
    if request.method != "POST":
        return False
    data = {k: request.POST.getlist(k) for k in request.POST if k not in NOT_KEPT}
    if not data or len(json.dumps(data)) > KEPT_MAX_BYTES:
        return False
    request.session[KEPT_SESSION_KEY] = {
        "path": request.path,
        "data": data,
        "files": bool(request.FILES),
        "at": int(time.time()),
    }
    return True


def take_kept_answers(request) -> KeptAnswers | None:
    """The answers kept for this address, once (they are removed from the session)."""
    kept = request.session.get(KEPT_SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("path") != request.path:
        return None
    del request.session[KEPT_SESSION_KEY]
    if time.time() - kept.get("at", 0) > KEPT_SECONDS:
        return None
    data = QueryDict(mutable=True)
    for key, values in kept.get("data", {}).items():
        data.setlist(key, values)
    return KeptAnswers(data=data, had_files=bool(kept.get("files")))


def eid_login_required(level: str = "substantial", *, keep_posted: bool = False):
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
                login_url = f"{reverse('accounts:eid-login-start')}?{query}"
                if keep_posted and request.method == "POST":
                    # the login ended while the form was open: keep what was typed and
                    # say so, rather than send the citizen off and lose it
                    return render(
                        request,
                        "accounts/eid/login_again.html",
                        {"login_url": login_url, "kept": keep_posted_answers(request)},
                        status=401,
                    )
                return redirect(login_url)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
