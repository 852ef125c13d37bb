"""Sending one webhook delivery: the signed request, and the outcome recorded with the
backoff before the next attempt.

Below both the task queue (`tasks`) and the rest of the webhooks (`webhooks`): a task
sends through here, and the webhooks queue tasks, so neither imports the other's caller."""

from __future__ import annotations

import datetime
import json
import time

import httpx
from django.db.models import Q
from django.utils import timezone

from samvirke.integrations import signing
from samvirke.integrations.models import DeliveryStatus, WebhookDelivery

# Waits before the 2nd, 3rd, … attempt; after the last one the delivery has failed.
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10.0
# A delivery stuck in "sending" this long (a worker died mid-request) is tried again.
STALE_SENDING = datetime.timedelta(minutes=5)
USER_AGENT = "Samvirke-Webhooks/1"


def body_of(delivery: WebhookDelivery) -> bytes:
    envelope = {
        "id": str(delivery.event_id),
        "delivery": delivery.pk,
        "organisation": delivery.subscription.organisation_id,
        **delivery.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _claim(delivery_id: int, now) -> bool:
    """Marks a due delivery as being sent; False if it is not due or another worker has it."""
    due = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now)
    stale = Q(status=DeliveryStatus.SENDING, last_attempt_at__lte=now - STALE_SENDING)
    return bool(
        WebhookDelivery.objects.filter(due | stale, pk=delivery_id).update(
            status=DeliveryStatus.SENDING, last_attempt_at=now, updated_at=now
        )
    )


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    """(status code, error text). Redirects are not followed: a receiver that moved must
    have its subscription changed."""
    try:
        response = httpx.post(
            url, content=body, headers=headers, timeout=TIMEOUT_SECONDS, follow_redirects=False
        )
    except httpx.TimeoutException:
        return None, f"timeout after {TIMEOUT_SECONDS:g} s"
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}"


def delivery_send(delivery_id: int, *, now=None) -> WebhookDelivery | None:
    """Sends one attempt of a due delivery and records the outcome: sent, to be retried
    after the backoff (`next_attempt_at`), or failed after the last. Queues nothing (see
    `tasks.delivery_attempt`). Returns the delivery, or None when it was not due (already
    sent, or someone else is sending it)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    attempt = delivery.attempts + 1
    if not subscription.is_active:
        code, error = None, "subscription is inactive"
        attempt = MAX_ATTEMPTS  # no point in retrying
    else:
        body = body_of(delivery)
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            signing.EVENT_HEADER: delivery.event,
            signing.EVENT_ID_HEADER: str(delivery.event_id),
            signing.DELIVERY_HEADER: str(delivery.pk),
            signing.TIMESTAMP_HEADER: str(timestamp),
            signing.SIGNATURE_HEADER: signing.signature(subscription.secret, timestamp, body),
        }
        code, error = _post(subscription.url, body, headers)
    delivery.attempts = attempt
    delivery.response_code = code
    delivery.error = error
    delivery.last_attempt_at = now
    if not error:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif attempt < MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + BACKOFF[attempt - 1]
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    delivery.save(
        update_fields=[
            "attempts",
            "response_code",
            "error",
            "status",
            "last_attempt_at",
            "delivered_at",
            "next_attempt_at",
            "updated_at",
        ]
    )
    return delivery
