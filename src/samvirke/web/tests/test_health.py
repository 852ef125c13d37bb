"""/health/: real checks of the database and the task queue, 503 when one fails, and the
worker path proved end to end with the database task backend."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django_tasks import TaskResultStatus

from samvirke.web.tasks import health_ping

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_health_is_ok_and_open_to_anonymous_users(client):
    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["task_queue"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_reports_the_database_queue(client):
    with override_settings(TASKS=DB_TASKS):
        health_ping.enqueue("waiting")
        body = client.get("/health/").json()

    queue = body["checks"]["task_queue"]
    assert queue["status"] == "ok"
    assert queue["backend"] == "DatabaseBackend"
    assert queue["queued"] == 1
    assert queue["oldest_queued_age_seconds"] >= 0
    assert queue["last_finished_age_seconds"] is None
    assert queue["worker_recently_active"] is None


@pytest.mark.django_db
def test_health_is_503_when_the_database_fails(client):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with override_settings(TASKS=DB_TASKS), mock.patch.object(connection, "cursor", broken_cursor):
        response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == {"status": "error", "error": "OperationalError"}
    assert body["checks"]["task_queue"]["status"] == "error"


@pytest.mark.django_db
def test_health_is_503_when_the_task_table_does_not_answer(client):
    from django_tasks_db.models import DBTaskResult

    with (
        override_settings(TASKS=DB_TASKS),
        mock.patch.object(DBTaskResult.objects, "using", side_effect=OperationalError("gone")),
    ):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "ok"
    assert response.json()["checks"]["task_queue"]["status"] == "error"


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_ping_task_end_to_end(client):
    """Given the database backend, when a ping is enqueued and `db_worker --batch` runs,
    then the result is stored and /health/ sees a recently active worker."""
    with override_settings(TASKS=DB_TASKS):
        out = io.StringIO()
        call_command("task_ping", timeout=0, stdout=out)
        task_id = out.getvalue().strip()
        assert health_ping.get_result(task_id).status == TaskResultStatus.READY

        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

        result = health_ping.get_result(task_id)
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert len(result.return_value["token"]) == 32
        queue = client.get("/health/").json()["checks"]["task_queue"]
        assert queue["queued"] == 0
        assert queue["worker_recently_active"] is True


@pytest.mark.django_db(transaction=True)
def test_task_ping_fails_when_no_worker_answers():
    from django.core.management.base import CommandError

    with override_settings(TASKS=DB_TASKS), pytest.raises(CommandError, match="No worker"):
        call_command("task_ping", timeout=0.1, stdout=io.StringIO())


@pytest.mark.django_db
def test_health_holds_no_personal_data(client, demo):
    body = client.get("/health/").content.decode()
    assert "national_id" not in body
    assert "demo" not in body.lower()
