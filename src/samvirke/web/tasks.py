"""Background tasks of the web app.

`health_ping` is the smallest real task: a worker that runs it proves the whole path
(enqueue → database queue → `samvirke worker` → result stored) works. `samvirke
task-ping` enqueues it and waits for the answer.

`periodic_job_run` runs one periodic job (`core.scheduling.periodic_jobs`); the worker's
scheduler queues it when the job is due (`web.worker`)."""

from __future__ import annotations

import logging
import time

from django.utils import timezone
from django_tasks import task

from samvirke.core.scheduling import periodic_jobs, retry_on_takeover

logger = logging.getLogger("samvirke.worker")


@retry_on_takeover
@task()
def health_ping(token: str) -> dict[str, str]:
    """Answers with the token it was given and the time it ran. Idempotent."""
    return {"token": token, "ran_at": timezone.now().isoformat()}


@retry_on_takeover
@task()
def periodic_job_run(identifier: str) -> dict:
    """Runs the periodic job once. Idempotent, as every periodic job must be."""
    started = time.perf_counter()
    outcome = periodic_jobs[identifier]().run()
    seconds = round(time.perf_counter() - started, 3)
    logger.info(
        "periodic job %s ran in %s s: %s",
        identifier,
        seconds,
        outcome,
        extra={"job": identifier, "seconds": seconds},
    )
    return {"job": identifier, "outcome": outcome, "seconds": seconds}
