"""What the task workers keep about themselves: each worker's heartbeat (so another can
tell a dead worker from a busy one), and each periodic job's next run (so that however
many workers run the scheduler, a job runs once per period)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running `samvirke worker`: it writes `seen_at` every few seconds."""

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen at"), default=timezone.now)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ScheduledJob(models.Model):
    """When a periodic job runs next; a worker claims a run by moving `next_run_at` on
    with a conditional update, which only one worker can win."""

    identifier = models.CharField(_("job"), max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_claimed_at = models.DateTimeField(_("last run started at"), null=True, blank=True)
    last_claimed_by = models.CharField(_("last run by worker"), max_length=64, blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["identifier"]

    def __str__(self) -> str:
        return self.identifier
