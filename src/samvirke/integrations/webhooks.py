"""Webhook deliveries: what an event's payload holds, queueing one delivery per matching
subscription, and the sweeper for deliveries that are due. Sending one attempt, signed, is
in `sending`; queueing it and the retries after the backoff, in `tasks`.

Who hears of an event: the subscriptions of the case's owning municipality and of its
handling organisation (the host, when a cooperation arrangement routes the case), and no
one else. Of a confidential case (need to know, see `cases.core.selectors`) only the
subscriptions whose owner (the person or service account that made them) may know the
case under the same rule hear anything at all, not even that the case exists; breaking
the glass, which is a person's time-limited access, does not count for a subscription. A
subscriber left out reads nothing either: the API answers 404 for the case.

The payload carries ids, the case reference, statuses and links to the API
resources; the receiver reads anything more through the API with its own token."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.cases.core.selectors import need_to_know_allows
from samvirke.integrations.errors import IntegrationsErrorCode
from samvirke.integrations.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from samvirke.integrations.sending import STALE_SENDING
from samvirke.integrations.tasks import delivery_attempt, delivery_enqueue

logger = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def local_http_allowed() -> bool:
    """Plain http is allowed only to this machine, and only in development or tests."""
    return bool(settings.DEBUG or getattr(settings, "SAMVIRKE_WEBHOOKS_ALLOW_LOCAL_HTTP", False))


def url_problem(url: str) -> tuple[str, str] | None:
    """(code, message) of what is wrong with a subscription URL, or None."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return IntegrationsErrorCode.CREDENTIALS_IN_URL, _(
            "Put no user name or password in the URL."
        )
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS and local_http_allowed():
        return None
    return IntegrationsErrorCode.HTTPS_REQUIRED, _("The URL must start with https://.")


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
    """Active subscriptions to `event` of the case's owning and handling organisations;
    of a confidential case, only those whose owner may know it (see the module
    docstring)."""
    candidates = (
        WebhookSubscription.objects.filter(
            Q(organisation_id=case.organisation_id)
            | Q(organisation_id=case.handling_organisation_id),
            is_active=True,
        )
        .select_related("created_by")
        .order_by("id")
    )
    return [
        s
        for s in candidates
        if event in (s.events or []) and need_to_know_allows(s.created_by, case, emergency=False)
    ]


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
