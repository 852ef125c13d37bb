"""The periodic job `web` owns: the orphan files sweep, which looks at every app's file
fields (`core.files.orphan_files_sweep`)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from samvirke.core.files import orphan_files_sweep
from samvirke.core.scheduling import PeriodicJob, periodic_jobs


@periodic_jobs.register("orphan-files")
class OrphanFilesSweep(PeriodicJob):
    verbose_name = _("Delete stored files that no row names")
    every = timedelta(hours=1)

    def run(self) -> int:
        return len(orphan_files_sweep())
