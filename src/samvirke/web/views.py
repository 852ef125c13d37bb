"""Public pages of the platform (accessibility statement, privacy), the health
endpoint and the error pages. Views stay thin: they read through selectors and render."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samvirke.accounts.oidc.decorators import keep_posted_answers
from samvirke.web.health import health_report

# The pages whose posted answers the CSRF failure page keeps (a form step; never a login)
KEEP_ANSWERS_ON_CSRF_FAILURE = frozenset({"submit:step"})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/accessibility.html",
        {"is_demo": settings.SAMVIRKE_DEV_IDP_ENABLED},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/privacy.html",
        {
            "is_demo": settings.SAMVIRKE_DEV_IDP_ENABLED,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Open to anyone (load balancers, monitoring); holds no personal data."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    response = redirect("accounts:staff-login")
    if request.GET.get("next"):
        response["Location"] += "?next=" + request.GET["next"]
    return response


# Error pages (handler400/403/404/500 in samvirke.urls), in the request's language (the
# portal's locale middleware has chosen it; else the installation's LANGUAGE_CODE), in the
# site's look, never Django's debug page. The 400 and 500 pages render without a request
# context: no context processors, no database.


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.get_template("400.html").render(
        {"request_id": getattr(request, "request_id", "")}
    )
    return HttpResponse(body, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Renders without a request context: no context processors, so no database query
    (the database may be the very thing that failed)."""
    body = loader.get_template("500.html").render(
        {"request_id": getattr(request, "request_id", "")}
    )
    return HttpResponse(body, status=500)


def _same_origin(request: HttpRequest) -> bool:
    """Whether the browser says the post came from a page of this site (a cross-site post
    must not be able to put answers into a citizen's form)."""
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and origin == f"{request.scheme}://{request.get_host()}"


def _keeps_answers(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in KEEP_ANSWERS_ON_CSRF_FAILURE


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a translated page that explains what to do. The technical
    reason goes to the log only. A form step's answers, posted from this site, are kept
    for an hour: the step takes them back when it is opened again (after a new login if
    the old one has ended)."""
    kept = (
        request.method == "POST"
        and _same_origin(request)
        and _keeps_answers(request)
        and keep_posted_answers(request)
    )
    body = loader.get_template("403_csrf.html").render(
        {
            "request_id": getattr(request, "request_id", ""),
            "kept": kept,
            "form_url": request.path if kept else "",
        }
    )
    return HttpResponse(body, status=403)
