"""The task worker's own duties beside running tasks (`samvirke worker`): a heartbeat, the
takeover of tasks a dead worker left `RUNNING`, and the schedule of periodic jobs.

- **Heartbeat**: every `SAMVIRKE_WORKER_TICK_SECONDS` each worker writes `seen_at` on its
  `WorkerHeartbeat` row.
- **Lease**: a task `RUNNING` for longer than `SAMVIRKE_TASK_LEASE_SECONDS` whose worker has
  not been seen for that long (or never was: a plain `db_worker`) is taken over: a task
  marked idempotent (`core.scheduling.retry_on_takeover`) goes back to `READY` and runs
  again, at most `TAKEOVER_RETRIES` times; any other is marked `FAILED` with the reason in
  its traceback. Each takeover writes a warning log line.
- **Schedule**: each periodic job (`core.scheduling.periodic_jobs`) has a `ScheduledJob`
  row; a worker whose tick finds it due moves `next_run_at` on by the job's period with a
  conditional `UPDATE … WHERE next_run_at <= now` and, in the same transaction, queues
  `web.tasks.periodic_job_run`. Only one worker's update can match, so two workers never
  run a job twice in a period, and a claim whose queueing failed is rolled back with it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from samvirke.core.scheduling import is_retried_on_takeover, periodic_jobs
from samvirke.web.models import ScheduledJob, WorkerHeartbeat
from samvirke.web.tasks import periodic_job_run

logger = logging.getLogger("samvirke.worker")

#: How many workers may die running one idempotent task before it is failed instead of
#: queued again (a task that kills its worker should not kill every worker in turn).
TAKEOVER_RETRIES = 3

TAKEOVER_REASON = (
    "samvirke.web.worker.WorkerLost: the worker running this task stopped without finishing "
    "it (no heartbeat for {lease} s); taken over by worker {worker} at {at}: {what}."
)


def lease() -> timedelta:
    return timedelta(seconds=settings.SAMVIRKE_TASK_LEASE_SECONDS)


def heartbeat(worker_id: str, *, now=None) -> None:
    """Records that the worker is alive."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        try:
            with transaction.atomic():
                WorkerHeartbeat.objects.create(
                    worker_id=worker_id,
                    hostname=socket.gethostname()[:255],
                    pid=os.getpid(),
                    started_at=now,
                    seen_at=now,
                )
        except IntegrityError:
            WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)


def heartbeats_prune(*, now=None) -> int:
    """Forgets workers not seen for a day (their tasks were taken over long ago)."""
    now = now or timezone.now()
    since = now - max(lease() * 10, timedelta(days=1))
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=since).delete()
    return deleted


def heartbeat_end(worker_id: str) -> None:
    """A worker stopping in good order removes its heartbeat."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_workers(*, now=None) -> set[str]:
    now = now or timezone.now()
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - lease()).values_list(
            "worker_id", flat=True
        )
    )


def tasks_take_over(*, worker_id: str = "", now=None) -> list[tuple[str, str]]:
    """Takes over the tasks left `RUNNING` by dead workers (see the module's docstring).
    Returns (task id, "retried" or "failed") for each."""
    now = now or timezone.now()
    alive = live_workers(now=now)
    taken: list[tuple[str, str]] = []
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - lease()
    ).values_list("id", "worker_ids")
    for task_id, worker_ids in list(stale):
        if worker_ids and worker_ids[-1] in alive:
            continue  # a long task of a live worker
        with transaction.atomic():
            result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=task_id, status=TaskResultStatus.RUNNING)
                .first()
            )
            if result is None:
                continue  # finished meanwhile, or another worker is taking it over
            retried = _retried(result)
            if retried and len(result.worker_ids) <= TAKEOVER_RETRIES:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                outcome = "retried"
            else:
                what = (
                    f"given up after {len(result.worker_ids)} workers"
                    if retried
                    else "not marked idempotent, so not run again"
                )
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = "samvirke.web.worker.WorkerLost"
                result.traceback = TAKEOVER_REASON.format(
                    lease=settings.SAMVIRKE_TASK_LEASE_SECONDS,
                    worker=worker_id or "-",
                    at=now.isoformat(),
                    what=what,
                )
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                outcome = "failed"
        logger.warning(
            "task %s (%s) of a lost worker taken over: %s",
            task_id,
            result.task_path,
            outcome,
            extra={"task": str(task_id), "outcome": outcome},
        )
        taken.append((str(task_id), outcome))
    return taken


def _retried(result: DBTaskResult) -> bool:
    """Whether the task is marked idempotent; importing it first, so that a mark made in a
    module this worker has not imported yet counts."""
    try:
        result.task  # noqa: B018 - imports the task's module, which marks it
    except Exception:  # noqa: BLE001 - a task that cannot be imported is not run again
        return False
    return is_retried_on_takeover(result.task_path)


def schedule_tick(*, worker_id: str, now=None) -> list[str]:
    """Queues every periodic job that is due and not yet claimed by another worker.
    Returns the identifiers queued by this worker."""
    now = now or timezone.now()
    queued = []
    for job in periodic_jobs.enabled():
        identifier = job.identifier
        _schedule_row(identifier, now)
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(
                identifier=identifier, next_run_at__lte=now
            ).update(
                next_run_at=now + job.every,
                last_claimed_at=now,
                last_claimed_by=worker_id[:64],
                runs=F("runs") + 1,
            )
            if not claimed:
                continue
            periodic_job_run.enqueue(identifier)
        queued.append(identifier)
    return queued


def _schedule_row(identifier: str, now) -> None:
    if ScheduledJob.objects.filter(identifier=identifier).exists():
        return
    try:
        with transaction.atomic():
            ScheduledJob.objects.create(identifier=identifier, next_run_at=now)
    except IntegrityError:
        pass  # another worker made it


def tick(worker_id: str) -> None:
    """One round of the worker's duties; a failure is logged and the next tick tries
    again."""
    close_old_connections()
    try:
        heartbeat(worker_id)
        tasks_take_over(worker_id=worker_id)
        heartbeats_prune()
        schedule_tick(worker_id=worker_id)
    except Exception:  # noqa: BLE001 - never stop the loop; the database may be back soon
        logger.exception("worker %s: scheduler tick failed", worker_id)
    finally:
        close_old_connections()


class Scheduler(threading.Thread):
    """Runs `tick` every `SAMVIRKE_WORKER_TICK_SECONDS` beside the worker's task loop."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="samvirke-scheduler", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        # the command ran the first tick before starting the thread
        while not self.stopping.wait(settings.SAMVIRKE_WORKER_TICK_SECONDS):
            tick(self.worker_id)

    def stop(self) -> None:
        self.stopping.set()
