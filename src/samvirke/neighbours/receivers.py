"""Receivers of the notification channel's signals: a notice e-mail that has gone marks
its neighbour as e-mailed (the status page and the answers summary show when)."""

from __future__ import annotations

from django.dispatch import receiver

from samvirke.neighbours.letters import NOTICE_EMAIL_PURPOSE
from samvirke.neighbours.services import neighbour_notice_emailed
from samvirke.notifications.signals import notification_sent


@receiver(notification_sent, dispatch_uid="neighbours.notice_emailed")
def on_notification_sent(sender, notification, **kwargs):
    if notification.purpose == NOTICE_EMAIL_PURPOSE and notification.reference:
        neighbour_notice_emailed(
            neighbour_id=int(notification.reference), sent_at=notification.sent_at
        )
