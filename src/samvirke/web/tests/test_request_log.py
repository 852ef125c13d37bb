"""Every request writes one JSON log line with its request id, and the response carries
the same id in X-Request-ID. No query strings or personal data in the line."""

from __future__ import annotations

import json
import logging

import pytest

from samvirke.core.logging import RequestContextFilter


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="samvirke.request")

    def lines():
        return [r for r in caplog.records if r.name == "samvirke.request"]

    return lines


@pytest.mark.django_db
def test_each_request_logs_one_line_with_the_response_request_id(client, request_log):
    response = client.get("/privacy/?q=12345678901&token=secret")

    records = request_log()
    assert len(records) == 1
    record = records[0]
    assert record.request_id == response["X-Request-ID"]
    assert len(record.request_id) == 32
    assert record.method == "GET"
    assert record.path == "/privacy/"
    assert record.status == 200
    assert record.duration_ms >= 0
    assert record.user_id is None


@pytest.mark.django_db
def test_the_log_line_is_json_without_query_string(client, request_log):
    from pythonjsonlogger.json import JsonFormatter

    client.get("/privacy/?q=12345678901")
    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
    line = formatter.format(request_log()[0])

    data = json.loads(line)
    assert data["logger"] == "samvirke.request"
    assert data["path"] == "/privacy/"
    assert {"method", "status", "duration_ms", "request_id", "user_id"} <= data.keys()
    assert "12345678901" not in line
    assert "?" not in line


@pytest.mark.django_db
def test_a_well_formed_incoming_request_id_is_kept(client, request_log):
    response = client.get("/health/", HTTP_X_REQUEST_ID="lb-abc123456789")

    assert response["X-Request-ID"] == "lb-abc123456789"
    assert request_log()[0].request_id == "lb-abc123456789"


@pytest.mark.django_db
def test_a_malformed_incoming_request_id_is_replaced(client, request_log):
    response = client.get("/health/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert request_log()[0].request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_a_logged_in_user_is_logged_by_id_only(client, demo, login, request_log):
    user = demo.user["askim.saksbehandler"]
    login(client, user)

    client.get("/privacy/")

    record = request_log()[-1]
    assert record.user_id == user.pk
    formatted = json.dumps(record.__dict__, default=str)
    assert user.username not in formatted
    assert user.full_name not in formatted


@pytest.mark.django_db
def test_a_404_is_logged_with_its_status(client, request_log):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert request_log()[0].status == 404
    assert request_log()[0].request_id == response["X-Request-ID"]


def test_log_records_outside_a_request_get_a_placeholder_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", (), None)
    RequestContextFilter().filter(record)
    assert record.request_id == "-"
