"""Background tasks of the web app.

`health_ping` is the smallest real task: a worker that runs it proves the whole path
(enqueue → database queue → `samvirke db_worker` → result stored) works. `samvirke
task-ping` enqueues it and waits for the answer."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def health_ping(token: str) -> dict[str, str]:
    """Answers with the token it was given and the time it ran. Idempotent."""
    return {"token": token, "ran_at": timezone.now().isoformat()}
