"""Work the task worker does on a schedule, and what it may run again after a worker died.

**Periodic jobs** are a kind of plugin: an app that has a sweeper (webhook deliveries that
are due, neighbours' windows that have passed, notifications whose task was lost, orphan
files, expired drafts) registers a `PeriodicJob` in `periodic_jobs` from its
`AppConfig.ready`. `samvirke worker` (in `web`) runs them every `every`, each once per
period however many workers run, with no cron.

    @periodic_jobs.register("webhooks-deliver-due")
    class WebhooksDeliverDue(PeriodicJob):
        verbose_name = _("Send the webhook deliveries that are due")
        every = timedelta(minutes=1)

        def run(self) -> int:
            return deliveries_send_due()

A job must be idempotent and safe to run at any time: a run can be cut short by a killed
worker and is then run again.

**Takeover after a lease**: a task left `RUNNING` by a dead worker is taken over by another
worker after `SAMVIRKE_TASK_LEASE_SECONDS`. A task marked with `retry_on_takeover` (it
says it is idempotent) is queued again; any other task is marked failed with the reason,
because running it twice could do harm."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from samvirke.core.registry import Plugin, Registry


class PeriodicJob(Plugin):
    """A sweeper the worker runs every `every`."""

    every: ClassVar[timedelta] = timedelta(hours=1)

    def run(self) -> Any:
        """Does one sweep; returns a small JSON-able summary (a count) for the task result."""
        raise NotImplementedError


periodic_jobs: Registry[PeriodicJob] = Registry(_("periodic job"))


#: The tasks of the libraries the platform uses (Wagtail, its search) that a worker may
#: queue; each only brings an index, a cache or a derived value up to date, so running it
#: again does no harm.
LIBRARY_TASKS_RETRIED = frozenset(
    {
        "modelsearch.tasks.insert_or_update_object_task",
        "wagtail.tasks.update_reference_index_task",
        "wagtail.tasks.delete_file_from_storage_task",
        "wagtail.images.tasks.set_image_focal_point_task",
        "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task",
    }
)

_RETRIED: set[str] = set(LIBRARY_TASKS_RETRIED)


def retry_on_takeover(task):
    """Marks a django-tasks task as idempotent: when its worker dies while running it, the
    worker that takes it over queues it again instead of failing it. Returns the task, so
    it can be used as a decorator under `@task()`."""
    _RETRIED.add(task.module_path)
    return task


def is_retried_on_takeover(task_path: str) -> bool:
    return task_path in _RETRIED
