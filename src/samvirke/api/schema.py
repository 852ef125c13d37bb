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
    "409": _(
        "Well formed, but refused in the present state: a reference to an object that does "
        "not exist or is outside your reach, or a rule of the service (`conflict`)."
    ),
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

# What a text field accepts, as the schema states it: no NUL character (the database
# cannot store it, and the API refuses it), and when the field may not be blank, at least
# one character that is not white space (the API trims white space first).
TEXT_PATTERN = "^[^\\u0000]*$"
NON_BLANK_TEXT_PATTERN = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


class SamvirkeAutoSchema(AutoSchema):
    """Adds the error envelope to every operation for the statuses it can produce."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        has_body = "requestBody" in operation
        has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        statuses = ["401", "403", "429"]
        if has_body or has_query:
            statuses.append("400")
        pages = any(p.get("name") == "page" for p in operation.get("parameters", []))
        if "{" in path or pages:  # a page past the last one is a 404 too
            statuses.append("404")
        if has_body or has_query or method.upper() not in ("GET", "HEAD"):
            statuses.append("409")
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


# An absolute http(s) URL as the API's URL fields accept it (Django's rules, a little
# narrower): one to three labels of at most 63 letters, digits and hyphens and a
# top-level domain of letters, so the host name stays within 253 characters.
URL_PATTERN = (
    "^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,3}[A-Za-z]{2,24}"
    "(?::[0-9]{1,5})?(?:[/?#][^\\s\\u0000]*)?$"
)


def _strict_text(schema) -> None:
    """Adds TEXT_PATTERN or NON_BLANK_TEXT_PATTERN to every free text in `schema`."""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and schema.get("format") == "binary":
        schema.setdefault("minLength", 1)  # an empty file is refused
    if schema.get("type") == "string" and schema.get("format") == "uri":
        schema.setdefault("pattern", URL_PATTERN)
    if schema.get("type") == "string" and not (
        {"enum", "format", "pattern", "readOnly"} & schema.keys()
    ):
        schema["pattern"] = NON_BLANK_TEXT_PATTERN if schema.get("minLength") else TEXT_PATTERN
    for key in ("items", "additionalProperties"):
        _strict_text(schema.get(key))
    for child in (schema.get("properties") or {}).values():
        _strict_text(child)
    for key in ("allOf", "oneOf", "anyOf"):
        for child in schema.get(key) or []:
            _strict_text(child)


FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _has_file(schema, components) -> bool:
    if not isinstance(schema, dict):
        return False
    if "$ref" in schema:
        return _has_file(components.get(schema["$ref"].rsplit("/", 1)[-1]), components)
    if schema.get("format") == "binary":
        return True
    return any(_has_file(child, components) for child in (schema.get("properties") or {}).values())


def _json_bodies_only(operation: dict, components: dict) -> None:
    """A body the API takes as JSON is documented as JSON only: form encodings cannot say
    `null` or a nested object, and are documented only where a file is uploaded."""
    content = (operation.get("requestBody") or {}).get("content") or {}
    if "application/json" not in content:
        return
    for media_type in FORM_MEDIA_TYPES:
        if media_type in content and not _has_file(content[media_type].get("schema"), components):
            del content[media_type]


def strict_text_hook(result, generator, request, public):
    """drf-spectacular post-processing hook: the inputs (query parameters and request
    bodies) say exactly which text the API accepts, so that a request the schema allows
    is never refused as malformed."""
    components = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    _strict_text(parameter.get("schema"))
            _json_bodies_only(operation, components)
    for name, schema in components.items():
        if name.endswith("Request"):
            _strict_text(schema)
    return result
