"""Neighbour notification's receivers, connected in `NeighboursConfig.ready`.

- A new notification's notices go out from a task. A receiver rather than a call from
  `services`, because the tasks call the services: the services announce, this module
  queues, and no two modules import each other.
- The notification channel says when a notice e-mail has gone: that marks its neighbour
  as e-mailed (the status page and the answers summary show when)."""

from __future__ import annotations

from django.dispatch import receiver

from samvirke.neighbours import signals, tasks
from samvirke.neighbours.letters import NOTICE_EMAIL_PURPOSE
from samvirke.neighbours.models import NeighbourNotification
from samvirke.neighbours.services import neighbour_notice_emailed
from samvirke.notifications.signals import notification_sent


@receiver(signals.notification_started, dispatch_uid="neighbours.notices_send")
def queue_notices(sender, *, notification: NeighbourNotification, **kwargs) -> None:
    tasks.notices_send.enqueue(notification.pk)


@receiver(notification_sent, dispatch_uid="neighbours.notice_emailed")
def on_notification_sent(sender, notification, **kwargs) -> None:
    if notification.purpose == NOTICE_EMAIL_PURPOSE and notification.reference:
        neighbour_notice_emailed(
            neighbour_id=int(notification.reference), sent_at=notification.sent_at
        )
