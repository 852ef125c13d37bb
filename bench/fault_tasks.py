"""A task of the faults benchmark (`bench.faults`): it sleeps, so that a task worker
killed while the benchmark runs is killed in the middle of one. Idempotent, so the
worker that takes it over runs it again."""

from __future__ import annotations

import time

from django_tasks import task

from samvirke.core.scheduling import retry_on_takeover


@retry_on_takeover
@task()
def slow_sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds
