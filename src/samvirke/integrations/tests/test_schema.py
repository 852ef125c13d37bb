"""The OpenAPI schema, with the integration endpoints, validates without warnings."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command(
        "spectacular",
        "--api-version",
        "v1",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "samvirke.integrations.tests.schema_urls",
        "--file",
        str(target),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    schema = target.read_text()
    for path in (
        "/api/v1/cases/{case_id}/status/:",
        "/api/v1/cases/{case_id}/journal-entries/:",
        "/api/v1/submissions/{submission_id}/:",
        "/api/v1/webhooks/{subscription_id}/deliveries/:",
    ):
        assert path in schema
