"""The service square's periodic job: the retention of drafts (tell identified citizens
before, then delete the drafts and their attachments). Run by `samvirke worker`."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from samvirke.cases.submission.services import drafts_deletion_notify, drafts_expire
from samvirke.core.scheduling import PeriodicJob, periodic_jobs


@periodic_jobs.register("drafts-retention")
class DraftsRetention(PeriodicJob):
    verbose_name = _("Delete drafts kept longer than their retention")
    every = timedelta(hours=1)

    def run(self) -> dict[str, int]:
        return {"told": drafts_deletion_notify(), "deleted": drafts_expire()}
