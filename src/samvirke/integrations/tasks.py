"""Background tasks of the integrations: sending webhook deliveries.

The demo and production run them in `samvirke db_worker`; a failed attempt queues the next
one with `run_after` (the database backend defers it), and `samvirke webhooks-deliver-due`
sends whatever is due when a queue cannot defer or a task was lost."""

from __future__ import annotations

from django_tasks import task


@task()
def webhook_deliver(delivery_id: int) -> dict:
    """One attempt at a delivery that is due. Idempotent: a delivery already sent, or not
    yet due, is left alone."""
    from samvirke.integrations.webhooks import delivery_attempt

    delivery = delivery_attempt(delivery_id)
    if delivery is None:
        return {"delivery": delivery_id, "status": "skipped"}
    return {"delivery": delivery_id, "status": delivery.status, "attempts": delivery.attempts}
