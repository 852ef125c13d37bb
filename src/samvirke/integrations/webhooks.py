"""Webhook deliveries: what an event's payload holds, queueing one delivery per matching
subscription, sending it signed, and retrying with exponential backoff.

Who hears of an event: the subscriptions of the case's owning municipality and of its
handling organisation (the host, when a cooperation arrangement routes the case), and no
one else. The payload carries ids, the case reference, statuses and links to the API
resources; the receiver reads anything more through the API with its own token."""

from __future__ import annotations

import datetime
import json
import logging
import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from samvirke.integrations import signing
from samvirke.integrations.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

logger = logging.getLogger(__name__)

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
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def local_http_allowed() -> bool:
    """Plain http is allowed only to this machine, and only in development or tests."""
    return bool(settings.DEBUG or getattr(settings, "SAMVIRKE_WEBHOOKS_ALLOW_LOCAL_HTTP", False))


def url_problem(url: str) -> tuple[str, str] | None:
    """(code, message) of what is wrong with a subscription URL, or None."""
    from django.utils.translation import gettext as _

    parts = urlsplit(url)
    if parts.username or parts.password:
        return "credentials_in_url", _("Put no user name or password in the URL.")
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS and local_http_allowed():
        return None
    return "https_required", _("The URL must start with https://.")


# --- payloads ------------------------------------------------------------------------------


def _api_url(name: str, **kwargs) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse(f"v1:{name}", kwargs=kwargs)


def _organisation_ref(organisation) -> dict:
    return {"id": organisation.pk, "slug": organisation.slug, "number": organisation.number}


def case_ref(case) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "status": case.status,
        "owner": _organisation_ref(case.organisation),
        "handling_organisation": _organisation_ref(case.handling_organisation),
        "url": _api_url("case-detail", case_id=case.pk),
    }


def payload_for(event: str, *, case, occurred_at, **data) -> dict:
    """The JSON body of an event. `data` adds event-specific plain values."""
    body = {
        "event": event,
        "occurred_at": occurred_at.isoformat(),
        "case": case_ref(case),
    }
    body.update(data)
    return body


# --- queueing ------------------------------------------------------------------------------


def subscriptions_for(event: str, case) -> list[WebhookSubscription]:
    """Active subscriptions to `event` of the case's owning and handling organisations."""
    candidates = WebhookSubscription.objects.filter(
        Q(organisation_id=case.organisation_id) | Q(organisation_id=case.handling_organisation_id),
        is_active=True,
    ).order_by("id")
    return [s for s in candidates if event in (s.events or [])]


def deliveries_create(event: str, *, case, payload: dict) -> list[WebhookDelivery]:
    """One delivery per matching subscription, all with the same event id, then each
    queued for sending. Call after the change has been committed."""
    subscriptions = subscriptions_for(event, case)
    if not subscriptions:
        return []
    now = timezone.now()
    deliveries = []
    with transaction.atomic():
        first = None
        for subscription in subscriptions:
            delivery = WebhookDelivery(
                subscription=subscription,
                event=event,
                payload=payload,
                next_attempt_at=now,
                created_at=now,
            )
            if first is not None:
                delivery.event_id = first.event_id
            delivery.save()
            first = first or delivery
            deliveries.append(delivery)
    for delivery in deliveries:
        delivery_enqueue(delivery)
    return deliveries


def delivery_enqueue(delivery: WebhookDelivery, *, run_after=None) -> None:
    """Hands the delivery to the task queue. If the queue is unavailable, the delivery
    stays due in the log and `samvirke webhooks-deliver-due` sends it later."""
    from django_tasks import default_task_backend

    from samvirke.integrations.tasks import webhook_deliver

    task = webhook_deliver
    if run_after is not None:
        if not default_task_backend.supports_defer:
            return  # the sweeper (webhooks-deliver-due) picks it up when it is due
        task = task.using(run_after=run_after)
    try:
        task.enqueue(delivery.pk)
    except Exception:  # noqa: BLE001 - a queue failure must not break the caller
        logger.exception("Could not queue webhook delivery %s", delivery.pk)


# --- sending -------------------------------------------------------------------------------


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


def delivery_attempt(delivery_id: int, *, now=None) -> WebhookDelivery | None:
    """Sends one attempt of a due delivery and records the outcome; on failure schedules
    the next attempt after the backoff, or gives up after the last. Returns the delivery,
    or None when it was not due (already sent, or someone else is sending it)."""
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
    if delivery.status == DeliveryStatus.RETRYING:
        delivery_enqueue(delivery, run_after=delivery.next_attempt_at)
    return delivery


def deliveries_due(now=None):
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, last_attempt_at__lte=now - STALE_SENDING)
    ).order_by("next_attempt_at", "id")


def deliveries_send_due(*, now=None, limit: int = 500) -> int:
    """Sends every due delivery now (the safety net for queues that cannot defer, and for
    deliveries whose task was lost). Returns how many were attempted."""
    count = 0
    for delivery_id in list(deliveries_due(now).values_list("pk", flat=True)[:limit]):
        if delivery_attempt(delivery_id, now=now) is not None:
            count += 1
    return count


def event_names() -> list[str]:
    return list(WebhookEvent.values)
