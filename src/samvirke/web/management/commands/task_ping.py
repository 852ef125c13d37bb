"""`samvirke task-ping`: enqueue `health_ping` and wait until a worker has run it.

Operators use it after a deployment to prove that a task worker is running against the
same database as the app servers; it exits with status 1 if no worker answers in time."""

from __future__ import annotations

import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from samvirke.web.tasks import health_ping


class Command(BaseCommand):
    help = "Enqueue a health ping task and wait for a worker to run it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=30.0,
            help="Seconds to wait for a worker (0: enqueue only and print the task id).",
        )

    def handle(self, *args, timeout: float, **options):
        token = uuid.uuid4().hex
        result = health_ping.enqueue(token)
        if timeout <= 0:
            self.stdout.write(str(result.id))
            return
        deadline = time.monotonic() + timeout
        while True:
            result.refresh()
            if result.status == TaskResultStatus.SUCCESSFUL:
                if result.return_value.get("token") != token:
                    raise CommandError("The worker answered with the wrong token.")
                self.stdout.write(self.style.SUCCESS(f"A worker ran the ping task {result.id}."))
                return
            if result.status == TaskResultStatus.FAILED:
                raise CommandError(f"The ping task {result.id} failed.")
            if time.monotonic() >= deadline:
                raise CommandError(
                    f"No worker ran the ping task {result.id} within {timeout:g} s: is "
                    "`samvirke worker` running against this database?"
                )
            time.sleep(0.5)
