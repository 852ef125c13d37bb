"""Background tasks of neighbour notification: thin wrappers that take ids and call
services, idempotent, so a retry does no harm."""

from __future__ import annotations

from django_tasks import task

from samvirke.core.scheduling import retry_on_takeover
from samvirke.neighbours import services


@retry_on_takeover
@task()
def notices_send(notification_id: int) -> int:
    """Renders and sends the notices of one notification (after the submit commits)."""
    return services.notices_send(notification_id=notification_id)


@retry_on_takeover
@task()
def windows_close() -> int:
    """Sends on the applications whose neighbours' window has passed."""
    return len(services.notification_windows_close())
