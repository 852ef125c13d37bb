"""`samvirke worker`'s duties beside running tasks: tasks a dead worker left RUNNING are
taken over after the lease (idempotent ones run again, others fail with the reason), the
periodic jobs run once per period however many workers run, and the orphan files sweep
deletes stored files no row names."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from samvirke.cases.documents.services import document_store
from samvirke.cases.models import Document
from samvirke.core.files import orphan_files_sweep
from samvirke.core.scheduling import periodic_jobs
from samvirke.web import worker
from samvirke.web.models import ScheduledJob
from samvirke.web.tasks import health_ping, periodic_job_run

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LEASE = 60

pytestmark = pytest.mark.django_db


@task()
def charge_card(amount: int) -> int:
    """Not idempotent: running it twice would do harm, so it is never retried."""
    return amount


def _running(result, *, worker_id: str, ago: int) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = TaskResultStatus.RUNNING
    row.started_at = timezone.now() - timedelta(seconds=ago)
    row.worker_ids = [*row.worker_ids, worker_id]
    row.save()
    return row


@pytest.mark.django_db(transaction=True)  # the worker closes its connections
@override_settings(TASKS=DB_TASKS, SAMVIRKE_TASK_LEASE_SECONDS=LEASE)
def test_tasks_of_a_dead_worker_are_taken_over_after_the_lease():
    worker.heartbeat("alive")
    idempotent = _running(health_ping.enqueue("lost"), worker_id="dead", ago=LEASE + 5)
    harmful = _running(charge_card.enqueue(100), worker_id="dead", ago=LEASE + 5)
    busy = _running(health_ping.enqueue("long"), worker_id="alive", ago=LEASE * 10)
    young = _running(health_ping.enqueue("young"), worker_id="dead", ago=LEASE - 5)

    taken = dict(worker.tasks_take_over(worker_id="alive"))

    assert taken == {str(idempotent.pk): "retried", str(harmful.pk): "failed"}
    idempotent.refresh_from_db()
    harmful.refresh_from_db()
    assert idempotent.status == TaskResultStatus.READY and idempotent.started_at is None
    assert harmful.status == TaskResultStatus.FAILED
    assert "WorkerLost" in harmful.exception_class_path
    assert "not marked idempotent" in harmful.traceback
    for row in (busy, young):
        row.refresh_from_db()
        assert row.status == TaskResultStatus.RUNNING
    # taking over twice changes nothing
    assert worker.tasks_take_over(worker_id="alive") == []
    # and the retried task runs to its end in the next worker
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0, queue_name="*")
    idempotent.refresh_from_db()
    assert idempotent.status == TaskResultStatus.SUCCESSFUL
    assert idempotent.return_value["token"] == "lost"


@override_settings(TASKS=DB_TASKS, SAMVIRKE_TASK_LEASE_SECONDS=LEASE)
def test_a_task_that_keeps_killing_its_workers_is_given_up():
    result = health_ping.enqueue("poison")
    for n in range(worker.TAKEOVER_RETRIES + 1):
        row = _running(result, worker_id=f"dead-{n}", ago=LEASE + 1)
        worker.tasks_take_over()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert "given up after" in row.traceback


@override_settings(TASKS=DB_TASKS, SAMVIRKE_TASK_LEASE_SECONDS=LEASE)
def test_health_counts_tasks_running_past_the_lease(client):
    _running(health_ping.enqueue("lost"), worker_id="dead", ago=LEASE + 5)
    queue = client.get("/health/").json()["checks"]["task_queue"]
    assert queue["running_over_lease"] == 1
    worker.tasks_take_over()
    queue = client.get("/health/").json()["checks"]["task_queue"]
    assert queue["running_over_lease"] == 0 and queue["running"] == 0


def _queued_jobs() -> list[str]:
    return sorted(
        r.args_kwargs["args"][0]
        for r in DBTaskResult.objects.filter(task_path=periodic_job_run.module_path)
    )


EXPECTED_JOBS = {
    "drafts-retention",
    "neighbours-close-windows",
    "notifications-requeue-lost",
    "orphan-files",
    "webhooks-deliver-due",
}


def test_every_sweeper_is_a_periodic_job():
    assert set(periodic_jobs.identifiers()) >= EXPECTED_JOBS


@pytest.mark.django_db(transaction=True)  # the worker closes its connections
@override_settings(TASKS=DB_TASKS)
def test_two_schedulers_run_each_job_once_per_period():
    start = timezone.now()
    assert sorted(worker.schedule_tick(worker_id="a", now=start)) == sorted(EXPECTED_JOBS)
    assert worker.schedule_tick(worker_id="b", now=start) == []
    assert worker.schedule_tick(worker_id="b", now=start + timedelta(seconds=30)) == []
    # a minute on: only the every-minute job is due again, and only one worker gets it
    later = start + timedelta(seconds=61)
    assert worker.schedule_tick(worker_id="b", now=later) == ["webhooks-deliver-due"]
    assert worker.schedule_tick(worker_id="a", now=later) == []
    assert _queued_jobs() == sorted([*EXPECTED_JOBS, "webhooks-deliver-due"])
    assert ScheduledJob.objects.get(identifier="webhooks-deliver-due").runs == 2
    # the queued jobs run in the worker, each to its end
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0, queue_name="*")
    results = DBTaskResult.objects.filter(task_path=periodic_job_run.module_path)
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}, [
        r.traceback for r in results
    ]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_two_scheduler_threads_racing_run_each_job_once_per_period():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks shared between threads")
    start = timezone.now()
    ticks = [start + timedelta(seconds=s) for s in range(0, 181, 5)]  # three minutes
    errors = []

    def scheduler(worker_id):
        try:
            for now in ticks:
                worker.schedule_tick(worker_id=worker_id, now=now)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler, args=(w,)) for w in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    queued = _queued_jobs()
    assert queued.count("webhooks-deliver-due") == 4  # at 0, 60, 120 and 180 s
    for job in EXPECTED_JOBS - {"webhooks-deliver-due"}:
        assert queued.count(job) == 1
    DBTaskResult.objects.all().delete()
    ScheduledJob.objects.all().delete()


@pytest.mark.django_db(transaction=True)  # the worker closes its connections
def test_the_worker_command_runs_tasks_with_its_scheduler(monkeypatch):
    ticks = []
    monkeypatch.setattr(worker, "tick", lambda worker_id: ticks.append(worker_id))
    with override_settings(TASKS=DB_TASKS):
        result = health_ping.enqueue("via worker")
        call_command("worker", batch=True, no_startup_delay=True, verbosity=0, worker_id="w-test")
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    # the process's own id: a restart under the same --worker-id is another worker
    assert ticks and ticks[0].startswith("w-test.") and row.worker_ids == [ticks[0]]


# --- orphan files ------------------------------------------------------------------------


def test_the_orphan_sweep_deletes_old_files_no_row_names(demo):
    kept = document_store(
        organisation=demo.org["askim"], name="kept.pdf", content=b"%PDF-", content_type="x"
    )
    orphan = default_storage.save("cases/orphan/lost.pdf", ContentFile(b"%PDF- lost"))
    elsewhere = default_storage.save("portal/untouched.txt", ContentFile(b"not ours"))
    assert orphan not in orphan_files_sweep()  # young: a transaction may still commit it
    deleted = orphan_files_sweep(now=timezone.now() + timedelta(hours=25))
    assert orphan in deleted and kept.file.name not in deleted
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name) and default_storage.exists(elsewhere)
    assert Document.objects.filter(pk=kept.pk).exists()
    default_storage.delete(elsewhere)
