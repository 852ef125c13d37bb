"""The notifications' periodic job: queue again the notifications whose delivery task was
lost (`services.notifications_requeue_lost`). Run by `samvirke worker`."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from samvirke.core.scheduling import PeriodicJob, periodic_jobs
from samvirke.notifications.services import notifications_requeue_lost


@periodic_jobs.register("notifications-requeue-lost")
class NotificationsRequeueLost(PeriodicJob):
    verbose_name = _("Queue again notifications whose delivery was lost")
    every = timedelta(minutes=5)

    def run(self) -> int:
        return notifications_requeue_lost()
