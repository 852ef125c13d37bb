"""Background tasks of the integrations: sending webhook deliveries, and queueing them.

The demo and production run them in `samvirke worker`; a failed attempt queues the next
one with `run_after` (the database backend defers it), and `samvirke webhooks-deliver-due`
sends whatever is due when a queue cannot defer or a task was lost."""

from __future__ import annotations

import logging

from django_tasks import default_task_backend, task

from samvirke.core.scheduling import retry_on_takeover
from samvirke.integrations.models import DeliveryStatus, WebhookDelivery
from samvirke.integrations.sending import delivery_send

logger = logging.getLogger(__name__)


def delivery_enqueue(delivery: WebhookDelivery, *, run_after=None) -> None:
    """Hands the delivery to the task queue. If the queue is unavailable, the delivery
    stays due in the log and `samvirke webhooks-deliver-due` sends it later."""
    queued = webhook_deliver
    if run_after is not None:
        if not default_task_backend.supports_defer:
            return  # the sweeper (webhooks-deliver-due) picks it up when it is due
        queued = queued.using(run_after=run_after)
    try:
        queued.enqueue(delivery.pk)
    except Exception:  # noqa: BLE001 - a queue failure must not break the caller
        logger.exception("Could not queue webhook delivery %s", delivery.pk)


def delivery_attempt(delivery_id: int, *, now=None) -> WebhookDelivery | None:
    """Sends one attempt of a due delivery and records the outcome; on failure queues the
    next attempt after the backoff, or gives up after the last. Returns the delivery, or
    None when it was not due (already sent, or someone else is sending it)."""
    delivery = delivery_send(delivery_id, now=now)
    if delivery is not None and delivery.status == DeliveryStatus.RETRYING:
        delivery_enqueue(delivery, run_after=delivery.next_attempt_at)
    return delivery


@retry_on_takeover
@task()
def webhook_deliver(delivery_id: int) -> dict:
    """One attempt at a delivery that is due. Idempotent: a delivery already sent, or not
    yet due, is left alone."""
    delivery = delivery_attempt(delivery_id)
    if delivery is None:
        return {"delivery": delivery_id, "status": "skipped"}
    return {"delivery": delivery_id, "status": delivery.status, "attempts": delivery.attempts}
