"""One error envelope for the whole API, with stable codes:

    {"error": {"code": "not_found", "message": "…", "fields": {"name": [{"code": …, "message": …}]},
               "request_id": "…"}}

Django's ValidationError and PermissionDenied raised in services become the same envelope,
and so does a selector's DoesNotExist (an object outside the user's reach is a 404).
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from samvirke.core.request_context import current_context

# The codes `error.code` can take. Field errors (`error.fields.<name>[].code`) carry the
# validator's or service's own code, e.g. `required`, `does_not_exist`, `cost_shares_exceed_100`.
ERROR_CODES: dict[str, str] = {
    "invalid": gettext_lazy("The request has errors; see `fields` (HTTP 400)."),
    "parse_error": gettext_lazy("The request body could not be parsed (HTTP 400)."),
    "not_authenticated": gettext_lazy("No credentials were given (HTTP 401)."),
    "authentication_failed": gettext_lazy(
        "The credentials are wrong, expired or revoked (HTTP 401)."
    ),
    "permission_denied": gettext_lazy("You may see the object but not do this (HTTP 403)."),
    "second_factor_required": gettext_lazy(
        "A staff session must pass the second factor before using the API (HTTP 403)."
    ),
    "not_found": gettext_lazy(
        "No such object, or it is outside your reach: the API does not tell which (HTTP 404)."
    ),
    "method_not_allowed": gettext_lazy("The HTTP method is not allowed here (HTTP 405)."),
    "not_acceptable": gettext_lazy("No response format matches the Accept header (HTTP 406)."),
    "unsupported_media_type": gettext_lazy(
        "The request body's media type is not accepted (HTTP 415)."
    ),
    "throttled": gettext_lazy("Too many requests; see Retry-After (HTTP 429)."),
    "error": gettext_lazy("Any other error."),
}

# Codes that services put on fields, documented with the envelope (not exhaustive: every
# service validation error carries a code of its own).
SERVICE_FIELD_CODES: dict[str, str] = {
    "cost_shares_exceed_100": gettext_lazy(
        "The participants' cost shares add up to more than 100 %."
    ),
    "already_participant": gettext_lazy("The organisation already takes part in the arrangement."),
    "host_unit_other_organisation": gettext_lazy("The host unit belongs to another organisation."),
    "parent_other_organisation": gettext_lazy("The parent unit belongs to another organisation."),
    "unit_cycle": gettext_lazy("A unit cannot be placed below itself."),
    "file_type_not_allowed": gettext_lazy("Agreement documents must be PDF files."),
    "file_too_large": gettext_lazy("The file is too large."),
    "unknown_field": gettext_lazy("The request names a field that cannot be changed."),
    "does_not_exist": gettext_lazy("A referenced object does not exist or is outside your reach."),
    "required": gettext_lazy("A required field is missing."),
}


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
        # `ValidationError({"field": "message"}, code="x")` keeps the code only in its
        # arguments, not on the per-field errors: recover it so the stable code reaches clients.
        outer_code = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], str) else None
        detail = {
            field: [
                exceptions.ErrorDetail(m, code=e.code or outer_code or "invalid")
                for e in errs
                for m in e.messages
            ]
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
    elif isinstance(exc, (Http404, ObjectDoesNotExist)):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, list):
            detail = {"non_field_errors": detail}
        result = envelope(
            "invalid",
            _("The request has errors."),
            status.HTTP_400_BAD_REQUEST,
            _field_errors(detail),
        )
    else:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        code = codes if isinstance(codes, str) and codes in ERROR_CODES else "error"
        detail = exc.detail if hasattr(exc, "detail") else str(exc)
        result = envelope(code, str(detail), response.status_code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
