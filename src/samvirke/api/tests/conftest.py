"""Fixtures for API tests: clients authenticated by token or by staff session."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from samvirke.api.services import api_token_create


@pytest.fixture
def token_client(demo):
    """`token_client("askim", ["reader"])`: an API client holding a fresh token."""

    def make(org_slug: str, roles=("reader",)) -> APIClient:
        token, raw = api_token_create(
            actor=None, organisation=demo.org[org_slug], name=f"test {org_slug}", roles=roles
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        client.token = token
        client.raw_token = raw
        return client

    return make


@pytest.fixture
def session_client(demo, login):
    """`session_client("askim.saksbehandler")`: a staff session after password and TOTP."""

    def make(username: str, *, enforce_csrf: bool = False) -> APIClient:
        client = APIClient(enforce_csrf_checks=enforce_csrf)
        login(client, demo.user[username])
        return client

    return make


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    assert "request_id" in body["error"]
    return body["error"]
