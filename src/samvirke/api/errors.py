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
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework import fields as fields_module
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from samvirke.core.errors import ErrorCode, app_of, error_codes
from samvirke.core.request_context import current_context


class ApiErrorCode(ErrorCode):
    """The codes `error.code` can take. Field errors (`error.fields.<name>[].code`) carry
    the validator's code (`required`, `does_not_exist`, …) or the service's, from the
    apps' registered enums (samvirke.core.errors), e.g. `cost_shares_exceed_100`."""

    INVALID = "invalid", _("The request has errors; see `fields` (HTTP 400).")
    PARSE_ERROR = "parse_error", _("The request body could not be parsed (HTTP 400).")
    NOT_AUTHENTICATED = "not_authenticated", _("No credentials were given (HTTP 401).")
    AUTHENTICATION_FAILED = (
        "authentication_failed",
        _("The credentials are wrong, expired or revoked (HTTP 401)."),
    )
    PERMISSION_DENIED = (
        "permission_denied",
        _("You may see the object but not do this (HTTP 403)."),
    )
    SECOND_FACTOR_REQUIRED = (
        "second_factor_required",
        _("A staff session must pass the second factor before using the API (HTTP 403)."),
    )
    NOT_FOUND = (
        "not_found",
        _("No such object, or it is outside your reach: the API does not tell which (HTTP 404)."),
    )
    METHOD_NOT_ALLOWED = (
        "method_not_allowed",
        _("The HTTP method is not allowed here (HTTP 405)."),
    )
    NOT_ACCEPTABLE = (
        "not_acceptable",
        _("No response format matches the Accept header (HTTP 406)."),
    )
    CONFLICT = (
        "conflict",
        _(
            "The request is well formed but the service refuses it in the present state: a "
            "referenced object that does not exist or is outside your reach, a status move "
            "the workflow does not allow, a rule of the service; see `fields` (HTTP 409)."
        ),
    )
    UNSUPPORTED_MEDIA_TYPE = (
        "unsupported_media_type",
        _("The request body's media type is not accepted (HTTP 415)."),
    )
    THROTTLED = (
        "throttled",
        _(
            "Too many requests from the client's address (for example with wrong tokens); "
            "wait the seconds in the Retry-After header (HTTP 429)."
        ),
    )
    ERROR = "error", _("Any other error.")


@error_codes.register
class ApiTokenErrorCode(ErrorCode):
    """What creating an API token refuses (`api_token_create`)."""

    REQUIRED = "required", _("The token needs a name.")
    UNKNOWN_ROLE = "unknown_role", _("A role is not one of the list.")
    EXPIRY_IN_PAST = "expiry_in_past", _("The expiry must be in the future.")


# docs/api.md holds the tables of `error_codes_markdown()` between these two lines.
DOCS_BEGIN = "<!-- error codes: begin (written by `samvirke error-codes --update docs/api.md`) -->"
DOCS_END = "<!-- error codes: end -->"


def _table(heading: str, codes) -> list[str]:
    rows = [f"| {heading} | meaning |", "|---|---|"]
    rows += [f"| `{code.value}` | {code.label} |" for code in codes]
    return rows


def error_codes_markdown() -> str:
    """The envelope's codes and, by app, the services' field codes with their
    descriptions, as Markdown tables in English: the list in docs/api.md."""
    with translation.override("en"):
        lines = [
            "The envelope's codes (`error.code`):",
            "",
            *_table("`error.code`", ApiErrorCode),
            "",
            "The services' field codes (`error.fields.<name>[].code`), by app:",
        ]
        for enum in error_codes:
            lines += ["", f"**{app_of(enum)}** (`{enum.__module__}.{enum.__qualname__}`)", ""]
            lines += _table("code", enum)
    return "\n".join(lines) + "\n"


def error_codes_docs_update(text: str) -> str:
    """`text` (docs/api.md) with the tables between its markers written afresh."""
    before, rest = text.split(DOCS_BEGIN + "\n", 1)
    _old, after = rest.split(DOCS_END, 1)
    return before + DOCS_BEGIN + "\n" + error_codes_markdown() + DOCS_END + after


def _field_errors(detail) -> dict:
    fields: dict = {}
    if isinstance(detail, dict):
        for name, errors in detail.items():
            items = errors if isinstance(errors, list) else [errors]
            fields[name] = [
                {"code": getattr(e, "code", ApiErrorCode.INVALID), "message": str(e)}
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
                exceptions.ErrorDetail(m, code=e.code or outer_code or ApiErrorCode.INVALID)
                for e in errs
                for m in e.messages
            ]
            for field, errs in exc.error_dict.items()
        }
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError(
        [exceptions.ErrorDetail(m, code=exc.code or ApiErrorCode.INVALID) for m in exc.messages]
    )


def _form_codes() -> frozenset[str]:
    """The codes of DRF's and Django's own field validation (`required`, `max_length`,
    `incorrect_type`, …): a request failing them does not match the schema (400)."""
    codes: set[str] = {"invalid", "null_characters_not_allowed", "surrogate_characters_not_allowed"}
    pending: list[type] = [fields_module.Field]
    while pending:
        cls = pending.pop()
        codes.update(getattr(cls, "default_error_messages", {}))
        pending.extend(cls.__subclasses__())
    codes.discard(SCOPED_MISSING)
    return frozenset(codes)


# a referenced object that does not exist or is outside the caller's reach
SCOPED_MISSING = "does_not_exist"


def _codes_in(fields: dict) -> list[str]:
    found: list[str] = []
    for errors in fields.values():
        for item in errors:
            if "code" in item and "message" in item and isinstance(item["message"], str):
                found.append(str(item["code"]))
            else:
                found.extend(_codes_in(item))
    return found


def is_conflict(fields: dict) -> bool:
    """True when every field error is a rule of the service or a missing reference, not
    a mismatch with the schema: the answer is then 409 `conflict` rather than 400."""
    codes = _codes_in(fields)
    form_codes = _form_codes()
    return bool(codes) and all(
        code == SCOPED_MISSING or (code in error_codes.codes() and code not in form_codes)
        for code in codes
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
        fields = _field_errors(detail)
        if is_conflict(fields):
            result = envelope(
                ApiErrorCode.CONFLICT,
                gettext("The request cannot be carried out as it stands."),
                status.HTTP_409_CONFLICT,
                fields,
            )
        else:
            result = envelope(
                ApiErrorCode.INVALID,
                gettext("The request has errors."),
                status.HTTP_400_BAD_REQUEST,
                fields,
            )
    else:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else ApiErrorCode.ERROR
        code = (
            codes if isinstance(codes, str) and codes in ApiErrorCode.values else ApiErrorCode.ERROR
        )
        detail = exc.detail if hasattr(exc, "detail") else str(exc)
        result = envelope(code, str(detail), response.status_code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
