"""`samvirke worker`: the task worker. It runs django-tasks-db's `db_worker` loop (same
options) and, beside it, a scheduler thread (`web.worker`): a heartbeat, the takeover of
tasks a dead worker left `RUNNING` (after `SAMVIRKE_TASK_LEASE_SECONDS`), and the
periodic jobs (webhook deliveries due, neighbours' windows, lost notifications, orphan
files, draft retention), each once per period however many workers run. No cron needed.

Run one or more per installation (`bin/serve` starts one); `--no-scheduler` runs tasks
only. The worker id gets a random suffix per process (`--worker-id host-1` runs as
`host-1.x7Kq2b9Z`), so a restarted worker is never taken for the one that died. Use this
rather than `db_worker`, whose tasks have no heartbeat and so are taken over once they
have run for longer than the lease."""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from samvirke.web import worker


class Command(DbWorkerCommand):
    help = "Run the task worker with its scheduler (heartbeat, lease takeover, periodic jobs)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="Run tasks only: no heartbeat, no takeover, no periodic jobs.",
        )

    def handle(self, *args, scheduler: bool = True, **options) -> None:
        # one id per process: a worker restarted under the same --worker-id (systemd's
        # %H-%i) must not look alive to the tasks its killed predecessor left running
        worker_id = options["worker_id"] = f"{options['worker_id'][:55]}.{get_random_string(8)}"
        thread = None
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            scheduler = False  # the reloader's parent process: the child runs the worker
        if scheduler:
            worker.tick(worker_id)  # the heartbeat before the first task it claims
            thread = worker.Scheduler(worker_id)
            thread.start()
        try:
            super().handle(*args, **options)
        finally:
            if thread is not None:
                thread.stop()
                worker.heartbeat_end(worker_id)
