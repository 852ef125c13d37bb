"""Webhooks for integrated case and archive systems: an organisation subscribes a URL to
events of the service square, and every event becomes one delivery per subscription,
kept as a delivery log with its attempts.

A delivery's payload holds ids, the case reference, statuses and links to the API, never
the answers or messages themselves: the receiver fetches what it needs with its token,
through the same access checks as any other API call."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    SUBMISSION_RECEIVED = "submission.received", _("A submission was received")
    CASE_STATUS_CHANGED = "case.status_changed", _("A case changed status")
    CASE_MESSAGE_ADDED = "case.message_added", _("A message was added to a case")


class WebhookSubscription(models.Model):
    """An organisation's subscription: events of the cases it owns or handles, sent to
    `url` and signed with `secret` (HMAC-SHA256)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(
        _("secret"),
        max_length=100,
        editable=False,
        help_text=_("The key the payloads are signed with; shown once, when it is made."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["organisation", "id"]
        indexes = [
            models.Index(fields=["organisation", "is_active"], name="integrations_sub_org_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    RETRYING = "retrying", _("Failed, will be retried")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed for good")


class WebhookDelivery(models.Model):
    """One event for one subscription, with its attempts: the delivery log."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    event_id = models.UUIDField(
        _("event id"),
        default=uuid.uuid4,
        help_text=_("The same for every subscription the event went to; receivers dedupe on it."),
    )
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="integrations_due_idx"),
            models.Index(fields=["subscription", "-created_at"], name="integrations_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.url} ({self.get_status_display()})"
