"""Neighbour notification's records: one notification per building application, one row
per neighbour notified.

Words: a *neighbour notification* is a nabovarsel; neighbours include those across the
road (gjenboere). An *objection* is a merknad against the project; a *comment* is an
answer without objection, with an optional remark. The notification belongs to the
municipality the application was made to (`organisation`, the offering's)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# plan- og bygningsloven § 21-3 first paragraph: at least two weeks to answer
ANSWER_WINDOW_DAYS = 14


class NotificationState(models.TextChoices):
    OPEN = "open", _("Waiting for the neighbours")
    FORWARDED = "forwarded", _("Sent to the municipality")


class ForwardReason(models.TextChoices):
    APPLICANT = "applicant", _("The applicant sent it on")
    WINDOW_CLOSED = "window_closed", _("The neighbours' deadline passed")


class NeighbourNotification(models.Model):
    """The notice of one building application to its neighbours, and its answer window."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="neighbour_notifications",
        verbose_name=_("municipality"),
        help_text=_("The municipality the application is made to."),
    )
    submission = models.OneToOneField(
        "cases.Submission",
        on_delete=models.PROTECT,
        related_name="neighbour_notification",
        verbose_name=_("application"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=NotificationState.choices, default=NotificationState.OPEN
    )
    sent_at = models.DateTimeField(_("notified at"), default=timezone.now)
    window_ends_on = models.DateField(
        _("answers due by"),
        help_text=_("The last day neighbours may answer: 14 days after the notice (pbl. § 21-3)."),
    )
    forwarded_at = models.DateTimeField(_("sent to the municipality at"), null=True, blank=True)
    forward_reason = models.CharField(
        _("sent on because"), max_length=20, choices=ForwardReason.choices, blank=True
    )
    processing_days = models.PositiveIntegerField(
        _("processing deadline (days)"),
        null=True,
        blank=True,
        help_text=_("84 (12 weeks) or 21 (3 weeks), set when the application is sent on."),
    )
    answers_document = models.OneToOneField(
        "cases.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("summary of the answers"),
    )

    class Meta:
        verbose_name = _("neighbour notification")
        verbose_name_plural = _("neighbour notifications")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["state", "window_ends_on"], name="neighbours_window_idx"),
            models.Index(fields=["organisation", "-sent_at"], name="neighbours_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} ({self.get_state_display()})"

    @staticmethod
    def window_end_for(sent_at: datetime.datetime) -> datetime.date:
        return timezone.localdate(sent_at) + datetime.timedelta(days=ANSWER_WINDOW_DAYS)

    @property
    def window_has_passed(self) -> bool:
        return timezone.localdate() > self.window_ends_on

    @property
    def is_open_for_answers(self) -> bool:
        return self.state == NotificationState.OPEN and not self.window_has_passed


class Answer(models.TextChoices):
    NONE = "none", _("No answer")
    COMMENT = "comment", _("No objection (comment)")
    OBJECTION = "objection", _("Objection")


class Neighbour(models.Model):
    """A neighbour notified of the application, with their personal link and answer.

    The personal link is `<token_selector>.<secret>`; only a SHA-256 hash of the secret is
    kept, so the database cannot give the link away. The selector finds the row, the hash
    is compared in constant time."""

    notification = models.ForeignKey(
        NeighbourNotification,
        on_delete=models.CASCADE,
        related_name="neighbours",
        verbose_name=_("notification"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    property_label = models.CharField(
        _("neighbouring property"), max_length=60, blank=True, help_text=_("gnr/bnr")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    token_selector = models.CharField(
        _("link id"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    token_hash = models.CharField(_("link hash"), max_length=64, blank=True, editable=False)
    notice_letter = models.OneToOneField(
        "cases.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notice letter"),
    )
    sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("first read at"), null=True, blank=True)
    answer = models.CharField(
        _("answer"), max_length=12, choices=Answer.choices, default=Answer.NONE
    )
    answer_text = models.TextField(_("answer text"), blank=True)
    answer_attachment = models.OneToOneField(
        "cases.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attachment to the answer"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("neighbour")
        verbose_name_plural = _("neighbours")
        ordering = ["notification", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_answered(self) -> bool:
        return self.answer != Answer.NONE
