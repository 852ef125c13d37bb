"""The API's error codes: every envelope code is returned by a request here, every
service code belongs to a registered enum, and docs/api.md lists exactly the registered
codes (the rule against string literals as codes is in tests/test_architecture.py)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from rest_framework import exceptions
from rest_framework.test import APIClient

from samvirke.api.errors import (
    DOCS_BEGIN,
    DOCS_END,
    ApiErrorCode,
    error_codes_docs_update,
    error_codes_markdown,
    exception_handler,
)
from samvirke.api.tests.conftest import assert_error
from samvirke.core import ratelimit
from samvirke.core.errors import ErrorCode, app_of, error_codes
from samvirke.core.tests.ratelimits import Clock

SOURCE = Path(__file__).resolve().parents[2]
DOCS = SOURCE.parents[1] / "docs" / "api.md"
# `snake_case`; a form definition's schema codes keep the JSON Schema keyword's case
CODE = re.compile(r"[a-z][a-z0-9_]*(_[a-z][a-zA-Z]*)?")


# --- every envelope code is returned ------------------------------------------------------


def _invalid(demo, token_client):
    client = token_client("askim", ["coordinator"])
    return client.post("/api/v1/arrangements/", {"name": ""}, format="json")


def _parse_error(demo, token_client):
    client = token_client("askim", ["coordinator"])
    return client.post("/api/v1/arrangements/", data=b'{"name": ', content_type="application/json")


def _not_authenticated(demo, token_client):
    return APIClient().get("/api/v1/me/")


def _authentication_failed(demo, token_client):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    return client.get("/api/v1/me/")


def _permission_denied(demo, token_client):
    return token_client("askim").get("/api/v1/audit-events/")


def _second_factor_required(demo, token_client):
    client = APIClient()
    client.force_login(demo.user["askim.admin"])  # password only; the account has TOTP
    return client.get("/api/v1/me/")


def _not_found(demo, token_client):
    return token_client("askim").get("/api/v1/nothing-here/")


def _method_not_allowed(demo, token_client):
    return token_client("askim").delete("/api/v1/organisations/")


def _not_acceptable(demo, token_client):
    return token_client("askim").get("/api/v1/me/", HTTP_ACCEPT="application/xml")


def _unsupported_media_type(demo, token_client):
    client = token_client("askim", ["coordinator"])
    return client.post("/api/v1/arrangements/", data="name=x", content_type="text/plain")


def _conflict(demo, token_client):
    """Well formed, but naming an organisation that does not exist."""
    client = token_client("askim", ["coordinator"])
    arrangement = demo.arrangement["ledningskartverk"]
    return client.post(
        "/api/v1/arrangements/",
        {"name": "X", "area": arrangement.area_id, "legal_form": "agreement", "host": 10**12},
        format="json",
    )


def _throttled(demo, token_client):
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Token wrong-token")
    limit = int(settings.SAMVIRKE_RATE_LIMITS["api_auth_failure"].split("/")[0])
    with mock.patch.object(ratelimit, "_clock", Clock()):  # all in one window
        for _ in range(limit):
            guesser.get("/api/v1/me/")
        return guesser.get("/api/v1/me/")


REQUESTS = {
    ApiErrorCode.INVALID: (400, _invalid),
    ApiErrorCode.CONFLICT: (409, _conflict),
    ApiErrorCode.THROTTLED: (429, _throttled),
    ApiErrorCode.PARSE_ERROR: (400, _parse_error),
    ApiErrorCode.NOT_AUTHENTICATED: (401, _not_authenticated),
    ApiErrorCode.AUTHENTICATION_FAILED: (401, _authentication_failed),
    ApiErrorCode.PERMISSION_DENIED: (403, _permission_denied),
    ApiErrorCode.SECOND_FACTOR_REQUIRED: (403, _second_factor_required),
    ApiErrorCode.NOT_FOUND: (404, _not_found),
    ApiErrorCode.METHOD_NOT_ALLOWED: (405, _method_not_allowed),
    ApiErrorCode.NOT_ACCEPTABLE: (406, _not_acceptable),
    ApiErrorCode.UNSUPPORTED_MEDIA_TYPE: (415, _unsupported_media_type),
}


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(REQUESTS), ids=str)
def test_the_api_returns_each_envelope_code(code, demo, token_client):
    status, request = REQUESTS[code]
    assert_error(request(demo, token_client), status, code)


def test_any_other_api_error_is_error():
    """A DRF exception of no known code (a library's, say) is `error`, with its status."""
    response = exception_handler(exceptions.APIException("Broken."), {})
    assert response.status_code == 500
    assert response.data["error"]["code"] == ApiErrorCode.ERROR == "error"


def test_every_envelope_code_is_tested():
    assert {*REQUESTS, ApiErrorCode.ERROR} == set(ApiErrorCode)


# --- the registered enums ------------------------------------------------------------------


def test_every_app_with_error_codes_registers_them():
    modules = sorted(p for p in SOURCE.glob("*/errors.py") if p.parent.name != "core")
    registered = {enum.__module__ for enum in error_codes}
    assert {f"samvirke.{p.parent.name}.errors" for p in modules} == registered
    for enum in error_codes:
        assert issubclass(enum, ErrorCode)
        assert app_of(enum) == enum.__module__.split(".")[1]
        # a member with another's value would be an alias of it, silently
        assert len(enum.__members__) == len(list(enum)), enum
        with translation.override("en"):
            assert all(str(code.label) and CODE.fullmatch(code.value) for code in enum), enum


def test_an_error_code_is_its_string():
    code = next(iter(error_codes.codes()))
    member = next(m for enum in error_codes for m in enum if m.value == code)
    assert member == code and str(member) == code


def _error_code_references() -> list[tuple[str, int, str, str]]:
    """(module path, line, enum name, member) of each `SomethingErrorCode.MEMBER` in the
    source outside the tests."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id.endswith("ErrorCode")
                and node.attr.isupper()
            ):
                found.append((relative.as_posix(), node.lineno, node.value.id, node.attr))
    return found


def test_every_code_raised_is_a_member_of_a_registered_enum():
    enums = {enum.__name__: enum for enum in error_codes}
    enums["ApiErrorCode"] = ApiErrorCode  # the envelope's codes, listed on their own
    references = _error_code_references()
    assert len(references) > 100
    wrong = [
        f"{path}:{line} {name}.{member}"
        for path, line, name, member in references
        if name not in enums or member not in enums[name].__members__
    ]
    assert not wrong, "Not a member of a registered error code enum:\n" + "\n".join(wrong)


def test_a_module_using_an_enum_imports_it_from_its_app():
    """A name like `CasesErrorCode` always means the registered enum of that name."""
    for path, _line, name, _member in _error_code_references():
        module = importlib.import_module("samvirke." + path.removesuffix(".py").replace("/", "."))
        enum = getattr(module, name)
        assert enum in error_codes or enum is ApiErrorCode, (path, name)


# --- the documentation ---------------------------------------------------------------------


def test_docs_list_exactly_the_registered_codes():
    text = DOCS.read_text()
    listed = text.split(DOCS_BEGIN + "\n", 1)[1].split(DOCS_END, 1)[0]
    assert listed == error_codes_markdown(), (
        "docs/api.md's error codes differ from the enums: run "
        "`samvirke error-codes --update docs/api.md`."
    )
    for code in {*error_codes.codes(), *ApiErrorCode.values}:
        assert f"| `{code}` |" in listed


def test_the_docs_update_rewrites_only_the_list():
    text = f"# API\n\nbefore\n\n{DOCS_BEGIN}\nold list\n{DOCS_END}\n\nafter\n"
    updated = error_codes_docs_update(text)
    assert updated.startswith(f"# API\n\nbefore\n\n{DOCS_BEGIN}\nThe envelope's codes")
    assert updated.endswith(f"{DOCS_END}\n\nafter\n")
    assert "old list" not in updated
    assert error_codes_docs_update(updated) == updated


def test_the_command_lists_every_code(capsys):
    call_command("error_codes")
    lines = capsys.readouterr().out.splitlines()
    assert {line.split("\t")[1] for line in lines} == {*error_codes.codes(), *ApiErrorCode.values}
    call_command("error_codes", "--markdown")
    assert capsys.readouterr().out == error_codes_markdown()


@pytest.mark.django_db
def test_the_schema_lists_the_envelope_codes(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    body = components[components["Error"]["properties"]["error"]["$ref"].rsplit("/", 1)[-1]]
    code = body["properties"]["code"]
    reference = (code.get("allOf") or [code])[0].get("$ref")
    enum = components[reference.rsplit("/", 1)[-1]]["enum"] if reference else code["enum"]
    assert set(enum) == set(ApiErrorCode.values)
    for field_code in ("cost_shares_exceed_100", "case_closed", "https_required"):
        assert f"`{field_code}`" in components["Error"]["description"]
