"""Cases (sak / saksmappe) and what happens in them: notes, messages with the applicant,
timeline events and the decision (vedtak)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.cases.models.offerings import CaseType, ServiceOffering
from samvirke.cases.models.privacy import WITHHELD_MARK, OnlineNames, withhold_names

# The fields the online title (models/privacy.py) is made from.
CASE_ONLINE_SOURCES = {"title", "public_title", "screening_basis", "applicant_name", "case_type"}


class Phase(models.TextChoices):
    """What a workflow status means to the platform. A case type names its own statuses;
    each status has one of these phases."""

    OPEN = "open", _("Open")
    PAUSED = "paused", _("Waiting for the applicant (deadline paused)")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REFUSED = "refused", _("Refused")


class Case(models.Model):
    """A case (sak / saksmappe): owned by a municipality, handled by a unit."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("owning municipality"),
    )
    handling_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="handled_cases",
        verbose_name=_("handling organisation"),
    )
    handling_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("handling unit"),
    )
    area = models.ForeignKey(
        "organisations.AreaOfWork",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("area of work"),
    )
    via_arrangement = models.ForeignKey(
        "organisations.CooperationArrangement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("through arrangement"),
    )
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("case type")
    )
    offering = models.ForeignKey(
        ServiceOffering,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("service"),
    )
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    title = models.CharField(_("title"), max_length=500)
    public_title = models.CharField(
        _("public title"),
        max_length=500,
        help_text=_("The title with screened words replaced by *****."),
    )
    screening_basis = models.CharField(_("screening basis"), max_length=200, blank=True)
    online_title = models.CharField(
        _("title in the online journal"),
        max_length=500,
        blank=True,
        help_text=_("Kept on save: the public title without withheld names of private persons."),
    )
    status = models.CharField(_("status"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("applicant"),
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=200, blank=True)
    applicant_email = models.EmailField(_("applicant's e-mail"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("case handler"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    paused_at = models.DateTimeField(
        _("paused since"),
        null=True,
        blank=True,
        help_text=_("Set while waiting for the applicant; the deadline clock stands still."),
    )
    paused_days = models.PositiveIntegerField(_("days paused"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"], name="cases_case_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["handling_unit", "status"], name="cases_inbox_idx"),
            models.Index(fields=["handling_organisation", "-opened_at"], name="cases_handler_idx"),
            models.Index(fields=["deadline"], name="cases_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or CASE_ONLINE_SOURCES & set(update_fields):
            self.online_title = self.online_title_compute()[:500]
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "online_title"}
        super().save(*args, **kwargs)

    # --- public journal privacy (models/privacy.py) ---

    @property
    def names_withheld_online(self) -> bool:
        return self.case_type.online_names != OnlineNames.SHOWN

    def online_title_compute(self) -> str:
        """The title the online public journal shows (see models/privacy.py)."""
        base = (self.public_title or WITHHELD_MARK) if self.screening_basis else self.title
        if not self.names_withheld_online:
            return base
        return withhold_names(base, [self.applicant_name])

    @property
    def reference(self) -> str:
        """The case number, saksnummer: year/sequence, per owning municipality."""
        return f"{self.year}/{self.sequence:05d}"


class CaseNote(models.Model):
    """An internal note on a case; the applicant never sees it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.body[:40]}"


class MessageDirection(models.TextChoices):
    TO_APPLICANT = "out", _("To the applicant")
    FROM_APPLICANT = "in", _("From the applicant")


class CaseMessage(models.Model):
    """A message between the handler and the applicant. The e-mail notice about it
    carries only a link, never its content."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=3, choices=MessageDirection.choices)
    body = models.TextField(_("message"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requests_information = models.BooleanField(
        _("asks for more information"),
        default=False,
        help_text=_("The case waits for the applicant's answer; the deadline is paused."),
    )
    journal_entry = models.OneToOneField(
        "JournalEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="message",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_direction_display()}"


class CaseEvent(models.Model):
    """One step in a case's timeline. `visible_to_applicant` events show in My cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    visible_to_applicant = models.BooleanField(_("shown to the applicant"), default=False)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class Decision(models.Model):
    """The decision in a case (vedtak), with its letter as a PDF/A document."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    text = models.TextField(_("grounds"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    letter = models.OneToOneField(
        "Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_outcome_display()}"


class EmergencyAccess(models.Model):
    """Break the glass: a time-limited access of one staff user to one confidential case
    outside their need to know, given with a written reason to a holder of the emergency
    access role and recorded in the audit log (action `break_glass`)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="emergency_accesses", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff user"),
    )
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="cases_emergency_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"
