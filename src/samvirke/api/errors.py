"""One error envelope for the whole API, with stable codes:

    {"error": {"code": "not_found", "message": "…", "fields": {"name": [{"code": …, "message": …}]},
               "request_id": "…"}}

Django's ValidationError and PermissionDenied raised in services become the same envelope.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from samvirke.web.request_context import current_context


def _field_errors(detail) -> dict:
    fields: dict = {}
    if isinstance(detail, dict):
        for name, errors in detail.items():
            items = errors if isinstance(errors, list) else [errors]
            fields[name] = [
                {"code": getattr(e, "code", "invalid"), "message": str(e)}
                if not isinstance(e, dict)
                else _field_errors(e)
                for e in items
            ]
    return fields


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            field: [exceptions.ErrorDetail(m, code=e.code or "invalid") for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError(
        [exceptions.ErrorDetail(m, code=exc.code or "invalid") for m in exc.messages]
    )


def envelope(code: str, message: str, http_status: int, fields: dict | None = None) -> Response:
    body = {"error": {"code": code, "message": message, "request_id": current_context().request_id}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, list):
            detail = {"non_field_errors": detail}
        result = envelope("invalid", _("The request has errors."), status.HTTP_400_BAD_REQUEST,
                          _field_errors(detail))
    else:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail if hasattr(exc, "detail") else str(exc)
        result = envelope(code, str(detail), response.status_code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
