"""Neighbour notification's own background work, started by its announcements: a new
notification's notices go out from a task. Connected in `NeighboursConfig.ready`.

A receiver rather than a call from `services`, because the tasks call the services: the
services announce, this module queues, and no two modules import each other."""

from django.dispatch import receiver

from samvirke.neighbours import signals, tasks
from samvirke.neighbours.models import NeighbourNotification


@receiver(signals.notification_started, dispatch_uid="neighbours.notices_send")
def queue_notices(sender, *, notification: NeighbourNotification, **kwargs) -> None:
    tasks.notices_send.enqueue(notification.pk)
