"""How the API describes itself in OpenAPI 3: every operation lists the error envelope for
the statuses it can return, and the envelope and its codes are one shared component."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from samvirke.api.errors import ApiErrorCode
from samvirke.core.errors import app_of, error_codes


class ErrorFieldItemSerializer(serializers.Serializer):
    code = serializers.CharField(
        required=False,
        help_text=_(
            "Stable code of the field error, e.g. `required`, `does_not_exist` or a "
            "service's own code such as `cost_shares_exceed_100`."
        ),
    )
    message = serializers.CharField(required=False, help_text=_("Translated explanation."))


def _codes_description() -> str:
    return "\n".join(f"* `{code.value}`: {code.label}" for code in ApiErrorCode)


def _field_codes_description() -> str:
    """The services' field codes by app, from the registered enums (docs/api.md has them
    with their descriptions)."""
    return "\n".join(
        f"* {app_of(enum)}: " + ", ".join(f"`{code.value}`" for code in enum)
        for enum in error_codes
    )


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=ApiErrorCode.choices,
        help_text=_("Stable error code. Clients branch on this, never on the message."),
    )
    message = serializers.CharField(help_text=_("Translated explanation for people."))
    fields = serializers.DictField(
        child=serializers.ListField(child=ErrorFieldItemSerializer()),
        required=False,
        help_text=_(
            "With `invalid`: field name to its errors. Errors not tied to one field "
            "are under `non_field_errors`; nested fields nest the same way."
        ),
    )
    request_id = serializers.CharField(
        allow_null=True,
        help_text=_("The request's id (also in the X-Request-ID header): quote it to support."),
    )


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()

    class Meta:
        ref_name = "Error"


def error_envelope_description() -> str:
    return str(
        _(
            "The one error envelope of the API.\n\nTop-level codes:\n%(codes)s\n\n"
            "Field codes from the services, by app (docs/api.md describes each):\n%(fields)s"
        )
    ) % {
        "codes": _codes_description(),
        "fields": _field_codes_description(),
    }


_STATUS_TEXT = {
    "400": _("Invalid request (`invalid`, `parse_error`)."),
    "401": _("No or bad credentials (`not_authenticated`, `authentication_failed`)."),
    "403": _("Not allowed (`permission_denied`)."),
    "404": _("Not found, or outside your reach (`not_found`)."),
    "415": _("Unsupported request media type (`unsupported_media_type`)."),
    "429": _(
        "Too many requests with a wrong token from the client's address (`throttled`); "
        "try again after the seconds in `Retry-After`."
    ),
}

_RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 1},
        "description": _("Seconds to wait before the next request."),
    }
}


class SamvirkeAutoSchema(AutoSchema):
    """Adds the error envelope to every operation for the statuses it can produce."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        has_body = "requestBody" in operation
        has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        statuses = ["401", "403"]
        if has_body or has_query:
            statuses.append("400")
        pages = any(p.get("name") == "page" for p in operation.get("parameters", []))
        if "{" in path or pages:  # a page past the last one is a 404 too
            statuses.append("404")
        if has_body:
            statuses.append("415")
        statuses.append("429")  # every operation takes a token (samvirke.core.ratelimit)
        error_ref = self.resolve_serializer(ErrorSerializer, "response").ref
        for status in statuses:
            response = {
                "content": {"application/json": {"schema": error_ref}},
                "description": str(_STATUS_TEXT[status]),
            }
            if status == "429":
                response["headers"] = {
                    name: {**header, "description": str(header["description"])}
                    for name, header in _RETRY_AFTER.items()
                }
            operation["responses"].setdefault(status, response)
        return operation


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = "samvirke.api.authentication.StaffSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": str(
                _(
                    "The browser's staff session (after password and second factor). Unsafe "
                    "methods need the CSRF token in the X-CSRFToken header."
                )
            ),
        }
