"""Health checks for load balancers and monitoring: is the database answering, and is the
task queue reachable?

Each check returns a small dict with a `status` of "ok" or "error" and figures that help
an operator (never personal data). The queue check reports how long the oldest waiting
task has waited and when a worker last finished a task, but does not fail on them: a load
balancer that took every app server out of rotation because the worker had stopped would
turn a delay in background work into an outage of the whole site. Alert on those figures
in monitoring instead (see docs/operations.md).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# A worker that finished a task within this window counts as recently active.
WORKER_RECENT_WINDOW = timedelta(minutes=15)


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def database_check(alias: str = "default") -> dict[str, Any]:
    """Runs a real query on the database."""
    started = time.perf_counter()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
        if not row or row[0] != 1:
            raise DatabaseError("unexpected answer to SELECT 1")
    except Exception as error:  # any failure here means "not healthy", whatever its class
        logger.warning("health: database check failed: %s", error.__class__.__name__)
        return {"status": "error", "error": error.__class__.__name__}
    return {"status": "ok", "duration_ms": _elapsed_ms(started)}


def _age_seconds(moment) -> int | None:
    if moment is None:
        return None
    return max(0, int((timezone.now() - moment).total_seconds()))


def task_queue_check() -> dict[str, Any]:
    """Checks that the configured django-tasks backend is reachable.

    For the database backend: its table answers, with the number of queued and running
    tasks, the age of the oldest queued one, and when a worker last finished a task."""
    started = time.perf_counter()
    try:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        backend_name = type(backend).__name__
    except Exception as error:
        logger.warning("health: task backend unavailable: %s", error.__class__.__name__)
        return {"status": "error", "error": error.__class__.__name__}

    result: dict[str, Any] = {"status": "ok", "backend": backend_name}
    if backend_name != "DatabaseBackend":
        # The immediate and dummy backends have nothing to reach; other backends (RQ,
        # Celery) would add their own broker check here.
        result["duration_ms"] = _elapsed_ms(started)
        return result

    try:
        figures = DBTaskResult.objects.using(_tasks_database()).aggregate(
            queued=Count("id", filter=Q(status="READY")),
            running=Count("id", filter=Q(status="RUNNING")),
            # taken over by a worker's next tick (`samvirke worker`); stays 0 while they run
            running_over_lease=Count(
                "id",
                filter=Q(
                    status="RUNNING",
                    started_at__lt=timezone.now()
                    - timedelta(seconds=settings.SAMVIRKE_TASK_LEASE_SECONDS),
                ),
            ),
            failed=Count("id", filter=Q(status="FAILED")),
            oldest_queued=Min("enqueued_at", filter=Q(status="READY")),
            last_finished=Max("finished_at"),
        )
    except Exception as error:
        logger.warning("health: task queue check failed: %s", error.__class__.__name__)
        return {"status": "error", "backend": backend_name, "error": error.__class__.__name__}

    last_finished_age = _age_seconds(figures["last_finished"])
    result.update(
        {
            "queued": figures["queued"],
            "running": figures["running"],
            "running_over_lease": figures["running_over_lease"],
            "failed": figures["failed"],
            "oldest_queued_age_seconds": _age_seconds(figures["oldest_queued"]),
            "last_finished_age_seconds": last_finished_age,
            # None: no task has ever finished, so nothing can be said about the worker
            "worker_recently_active": None
            if last_finished_age is None
            else last_finished_age <= WORKER_RECENT_WINDOW.total_seconds(),
            "duration_ms": _elapsed_ms(started),
        }
    )
    return result


def _tasks_database() -> str:
    return router.db_for_read(DBTaskResult) or "default"


def health_report() -> tuple[bool, dict[str, Any]]:
    """All checks; the first value says whether every check passed."""
    checks = {"database": database_check(), "task_queue": task_queue_check()}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return healthy, {"status": "ok" if healthy else "error", "checks": checks}
