"""What citizens fill in and send: drafts in progress and stored submissions."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.cases.models.offerings import ServiceOffering


class Draft(models.Model):
    """A submission in progress: an identified citizen's (resumable) or an anonymous
    visitor's (tied to the browser session). `key` becomes the submission's idempotency
    key, so submitting the same draft twice makes one case."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    offering = models.ForeignKey(
        ServiceOffering, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("service")
    )
    form_version = models.ForeignKey(
        "eservices.FormVersion",
        on_delete=models.PROTECT,
        related_name="drafts",
        verbose_name=_("form version"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("citizen"),
    )
    session_key = models.CharField(_("session"), max_length=64, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    step = models.PositiveIntegerField(_("step"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deletion_notice_sent_at = models.DateTimeField(
        _("deletion notice sent at"),
        null=True,
        blank=True,
        help_text=_("When the citizen was told that the draft will soon be deleted."),
    )

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["updated_at"], name="cases_draft_updated_idx")]

    def __str__(self) -> str:
        return f"{self.offering} ({self.key})"

    @property
    def retention_days(self) -> int:
        """How many days after its last change the draft is deleted (settings)."""
        return draft_retention_days(identified=self.user_id is not None)

    @property
    def deletes_at(self) -> datetime:
        """When the draft and its attachments are deleted unless it is changed first."""
        return (self.updated_at or timezone.now()) + timedelta(days=self.retention_days)


def draft_retention_days(*, identified: bool) -> int:
    if identified:
        return settings.SAMVIRKE_DRAFT_RETENTION_DAYS_IDENTIFIED
    return settings.SAMVIRKE_DRAFT_RETENTION_DAYS_ANONYMOUS


def session_hash(session_key: str) -> str:
    """What a submission keeps of the anonymous browser session that sent it: a hash,
    so that a replay from that session finds its receipt, without the session key."""
    if not session_key:
        return ""
    return hashlib.sha256(f"samvirke-submission:{session_key}".encode()).hexdigest()


class SubmissionState(models.TextChoices):
    AWAITING_NEIGHBOURS = "awaiting_neighbours", _("Waiting for neighbours' answers")
    SUBMITTED = "submitted", _("Submitted")


class Submission(models.Model):
    """What a citizen submitted, with the form version it was made with. Immutable once
    stored; `key` makes a repeated submit return the first one."""

    key = models.UUIDField(_("key"), unique=True, editable=False)
    offering = models.ForeignKey(
        ServiceOffering,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("service"),
    )
    form_version = models.ForeignKey(
        "eservices.FormVersion",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("form version"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("applicant"),
    )
    answers = models.JSONField(_("answers"))
    language = models.CharField(_("language"), max_length=8, default="nb")
    state = models.CharField(
        _("state"),
        max_length=24,
        choices=SubmissionState.choices,
        default=SubmissionState.SUBMITTED,
    )
    case = models.OneToOneField(
        "Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submission",
        verbose_name=_("case"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    session_hash = models.CharField(
        _("session"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("A hash of the anonymous browser session that sent it."),
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.offering} {self.submitted_at:%Y-%m-%d %H:%M}"
