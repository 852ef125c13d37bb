"""`samvirke periodic-jobs`: the periodic jobs the task workers run, with when each ran
last and runs next; `--run IDENTIFIER` runs one now, in this process (to catch up after an
outage, or where no `samvirke worker` runs)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from samvirke.core.registry import UnknownPluginError
from samvirke.core.scheduling import periodic_jobs
from samvirke.web.models import ScheduledJob


class Command(BaseCommand):
    help = "List the periodic jobs and their schedule, or run one now."

    def add_arguments(self, parser):
        parser.add_argument("--run", metavar="IDENTIFIER", help="Run this job now.")

    def handle(self, *args, run: str | None = None, **options):
        if run:
            try:
                job = periodic_jobs[run]
            except UnknownPluginError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(json.dumps({"job": run, "outcome": job().run()}))
            return
        rows = {row.identifier: row for row in ScheduledJob.objects.all()}
        for job in periodic_jobs:
            row = rows.get(job.identifier)
            self.stdout.write(
                f"{job.identifier:28} every {job.every}  "
                f"last {row.last_claimed_at if row else '-'} ({row.runs if row else 0} runs), "
                f"next {row.next_run_at if row else 'at the first worker tick'}"
                f"  – {job.verbose_name}"
            )
