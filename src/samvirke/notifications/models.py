"""One row per message sent through a notification channel: what operations need to see
that it went, is waiting for a retry, or gave up — never the message itself once it has
gone (the body is cleared when delivery ends, either way)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    channel = models.CharField(
        _("channel"), max_length=50, help_text=_("The notification channel, e.g. email.")
    )
    recipients = models.JSONField(
        _("recipients"), default=list, help_text=_("The addresses the message goes to.")
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("The message text, kept only until delivery succeeds or gives up."),
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=100,
        help_text=_("What the message is for, e.g. neighbours.notice or accounts.password_link."),
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The id of the object the message is about, for the app that sent it."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times delivery has been tried.")
    )
    last_error = models.TextField(
        _("last error"), blank=True, help_text=_("Why the latest attempt failed.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        help_text=_("When a failed delivery is tried again."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        # "notification" alone is the neighbour notification (nabovarsel) in the catalogues
        verbose_name = pgettext_lazy("message", "notification")
        verbose_name_plural = pgettext_lazy("message", "notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="notifications_status_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} via {self.channel} ({self.status})"
