"""The integrations' periodic job: send the webhook deliveries that are due (a retry
whose task was lost, or one a queue could not defer). Run by `samvirke worker`."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from samvirke.core.scheduling import PeriodicJob, periodic_jobs
from samvirke.integrations.webhooks import deliveries_send_due


@periodic_jobs.register("webhooks-deliver-due")
class WebhooksDeliverDue(PeriodicJob):
    verbose_name = _("Send the webhook deliveries that are due")
    every = timedelta(minutes=1)

    def run(self) -> int:
        return deliveries_send_due()
