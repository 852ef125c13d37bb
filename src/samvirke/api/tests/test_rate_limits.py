"""API authentication is rate-limited per client address: wrong tokens count, and past
the limit every token from that address gets 429 in the error envelope with Retry-After
(samvirke.core.ratelimit), documented in the schema."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from samvirke.api.errors import ApiErrorCode
from samvirke.api.tests.conftest import assert_error
from samvirke.core.tests import ratelimits as ratelimit_clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """All requests of a test in one window of the limits (see core.tests.ratelimits)."""
    ratelimit_clock.freeze(monkeypatch)


ME = "/api/v1/me/"


@pytest.fixture
def rates(settings):
    settings.SAMVIRKE_RATE_LIMITS = {**settings.SAMVIRKE_RATE_LIMITS, "api_auth_failure": "3/m"}


def guessing_client(**extra) -> APIClient:
    client = APIClient(**extra)
    client.credentials(HTTP_AUTHORIZATION="Token guessed-0123456789")
    return client


def test_wrong_tokens_from_one_address_are_throttled_in_the_envelope(demo, rates, token_client):
    guesser = guessing_client()
    for _ in range(3):
        assert_error(guesser.get(ME), 401, ApiErrorCode.AUTHENTICATION_FAILED)
    response = guesser.get(ME, HTTP_ACCEPT_LANGUAGE="nb")
    error = assert_error(response, 429, ApiErrorCode.THROTTLED)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Content-Type"].startswith("application/json")
    assert "API-nøkkel" in error["message"]  # translated: bokmål
    # a valid token from the same address waits too: the address is held back
    valid = token_client("askim")
    assert_error(valid.get(ME), 429, ApiErrorCode.THROTTLED)
    # a valid token from another address is served
    other = token_client("askim")
    other.defaults["REMOTE_ADDR"] = "192.0.2.79"
    assert other.get(ME).status_code == 200


def test_good_tokens_are_not_counted(demo, rates, token_client):
    client = token_client("askim")
    assert all(client.get(ME).status_code == 200 for _ in range(6))


def test_the_schema_documents_429_with_retry_after():
    out = io.StringIO()
    call_command(
        "spectacular", "--api-version", "v1", "--urlconf", "samvirke.openapi_urls", stdout=out
    )
    schema = yaml.safe_load(out.getvalue())
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    for operation in operations:
        response = operation["responses"]["429"]
        assert "Retry-After" in response["headers"]
        assert response["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    enums = [c.get("enum", []) for c in schema["components"]["schemas"].values()]
    assert any("throttled" in values for values in enums)
