"""Public pages of the platform (accessibility statement, privacy), the health
endpoint and the error pages. Views stay thin: they read through selectors and render."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samvirke.web.health import health_report


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


# Error pages. Django's default handlers render our 400.html, 403.html and 404.html (this
# app's templates come first). The 500 page and the CSRF failure page have their own views.


def server_error(request: HttpRequest) -> HttpResponse:
    """Renders without a request context: no context processors, so no database query
    (the database may be the very thing that failed)."""
    body = loader.get_template("500.html").render(
        {"request_id": getattr(request, "request_id", "")}
    )
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a translated page that explains what to do. The technical
    reason goes to the log only."""
    body = loader.get_template("403_csrf.html").render(
        {"request_id": getattr(request, "request_id", "")}
    )
    return HttpResponse(body, status=403)
