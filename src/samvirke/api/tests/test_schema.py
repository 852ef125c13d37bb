"""The OpenAPI schema is generated from the API's own URLs without a warning and validates,
as `make schema` asks (`--validate --fail-on-warn`)."""

from __future__ import annotations

import io

import yaml
from django.core.management import call_command


def test_the_schema_generates_without_warnings_and_validates():
    out = io.StringIO()

    call_command(
        "spectacular",
        "--api-version",
        "v1",
        "--urlconf",
        "samvirke.openapi_urls",
        "--validate",
        "--fail-on-warn",
        stdout=out,
    )

    schema = yaml.safe_load(out.getvalue())
    assert "/api/v1/cases/" in schema["paths"]
    assert "/api/v1/arrangements/{arrangement_id}/" in schema["paths"]
