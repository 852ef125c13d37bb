"""Request ids, the request context for audit events and log lines, and the access log.

Every request writes exactly one JSON log line on the `samvirke.request` logger: method,
path (never the query string, which may carry search terms or tokens), status, duration,
request id and the user's id (never a name, e-mail or identity number). The same request
id is returned in the X-Request-ID response header, so a user's report can be matched to
the log."""

from __future__ import annotations

import logging
import re
import time
import uuid

from samvirke.core import ratelimit
from samvirke.core.request_context import (
    RequestContext,
    current_context,
    reset_context,
    set_context,
    update_context,
)

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

access_logger = logging.getLogger("samvirke.request")


def client_address(request) -> str | None:
    """The client's address (`samvirke.core.ratelimit.client_address`), for audit events,
    log lines and django-axes (AXES_CLIENT_IP_CALLABLE)."""
    return ratelimit.client_address(request)


class RequestContextMiddleware:
    """Gives every request an id (taken from a well-formed X-Request-ID header, or new),
    returns it in the response, makes it available to logs and audit events, and writes
    the request's access log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_context(
            RequestContext(request_id=request_id, client_address=client_address(request))
        )
        status = 500  # if the handler raises, the server answers 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            self._log(request, request_id, status, started)
            reset_context(token)

    @staticmethod
    def _log(request, request_id: str, status: int, started: float) -> None:
        user = current_context().user
        user_id = getattr(user, "pk", None) if user is not None else None
        access_logger.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,  # without the query string, on purpose
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user_id,
            },
        )


class RequestUserContextMiddleware:
    """Adds the authenticated user to the context once authentication has run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            update_context(user=user)
        return self.get_response(request)
