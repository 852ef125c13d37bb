"""The background task that delivers a notification: a thin wrapper that takes an id,
runs one attempt (`delivery.notification_attempt`) and queues itself again for the
retry the attempt asks for. Idempotent: a notification that is no longer queued is left
alone, so a task run twice does no harm."""

from __future__ import annotations

import datetime
import logging

from django_tasks import task

from samvirke.core.scheduling import retry_on_takeover
from samvirke.notifications.delivery import notification_attempt

logger = logging.getLogger("samvirke.notifications")


@retry_on_takeover
@task()
def notification_deliver(notification_id: int) -> None:
    retry_at = notification_attempt(notification_id=notification_id)
    if retry_at is not None:
        notification_enqueue(notification_id, run_after=retry_at)


def notification_enqueue(
    notification_id: int, *, run_after: datetime.datetime | None = None
) -> None:
    """Queues delivery, no earlier than `run_after`. A backend that cannot defer (the
    immediate backend of tests and development) runs the retry at once. A queue that
    cannot be reached is logged: the notification stays queued, visible to operations."""
    deliver = notification_deliver
    if run_after is not None and deliver.get_backend().supports_defer:
        deliver = deliver.using(run_after=run_after)
    try:
        deliver.enqueue(notification_id)
    except Exception:  # never into the caller: the transaction that asked has committed
        logger.exception("notification %s could not be queued", notification_id)
