"""Request ids and the request context for audit events and log lines."""

from __future__ import annotations

import re
import uuid

from django.conf import settings

from samvirke.web.request_context import RequestContext, reset_context, set_context, update_context

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_address(request) -> str | None:
    if getattr(settings, "SAMVIRKE_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives every request an id (taken from a well-formed X-Request-ID header, or new),
    returns it in the response, and makes it available to logs and audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_context(
            RequestContext(request_id=request_id, client_address=client_address(request))
        )
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request_id
        return response


class RequestUserContextMiddleware:
    """Adds the authenticated user to the context once authentication has run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            update_context(user=user)
        return self.get_response(request)
