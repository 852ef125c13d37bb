"""Neighbour notification's periodic job: send on the building applications whose
neighbours' window has passed. Run by `samvirke worker`."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from samvirke.core.scheduling import PeriodicJob, periodic_jobs
from samvirke.neighbours.services import notification_windows_close


@periodic_jobs.register("neighbours-close-windows")
class NeighboursCloseWindows(PeriodicJob):
    verbose_name = _("Send on applications whose neighbours' window has passed")
    every = timedelta(minutes=15)

    def run(self) -> int:
        return len(notification_windows_close())
