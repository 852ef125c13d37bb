"""The journal (journal entries, journalposter) and the number series that give cases and
entries their numbers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.cases.models.cases import Case
from samvirke.cases.models.privacy import (
    WITHHELD_MARK,
    OnlineNames,
    private_party_names,
    withhold_names,
)

# The fields the online title (models/privacy.py) is made from.
ENTRY_ONLINE_SOURCES = {"title", "public_title", "screening_basis", "parties", "online_names"}


class EntryType(models.TextChoices):
    """Noark 5 journalposttype."""

    INCOMING = "I", _("Incoming document")
    OUTGOING = "U", _("Outgoing document")
    NOTE_FOLLOW_UP = "N", _("Internal note with follow-up")
    NOTE = "X", _("Internal note without follow-up")


class EntryStatus(models.TextChoices):
    """Noark 5 journalstatus (the subset the platform uses)."""

    REGISTERED = "J", _("Registered")
    DISPATCHED = "E", _("Dispatched")
    FINALISED = "F", _("Finalised")
    ARCHIVED = "A", _("Archived")


class JournalEntry(models.Model):
    """A journal entry (journalpost) in the owning municipality's journal.

    `parties` is a list of {"role": "sender" | "recipient" | "copy", "name": …,
    "kind": "person" | "organisation"}. A screened entry (with `screening_basis`) shows
    `public_title` in the public journal and hides its parties' names."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="journal_entries",
        verbose_name=_("municipality"),
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="journal_entries")
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("journal sequence number"))
    number_in_case = models.PositiveIntegerField(_("number in the case"))
    entry_type = models.CharField(_("type"), max_length=1, choices=EntryType.choices)
    status = models.CharField(
        _("status"), max_length=1, choices=EntryStatus.choices, default=EntryStatus.REGISTERED
    )
    title = models.CharField(_("title"), max_length=500)
    public_title = models.CharField(_("public title"), max_length=500)
    screening_basis = models.CharField(_("screening basis"), max_length=200, blank=True)
    parties = models.JSONField(_("parties"), default=list, blank=True)
    # Public journal privacy (models/privacy.py): empty follows the case type.
    online_names = models.CharField(
        _("names of private persons in the online journal"),
        max_length=10,
        choices=OnlineNames.choices,
        blank=True,
        help_text=_("Empty: as the case type says."),
    )
    online_title = models.CharField(_("title in the online journal"), max_length=500, blank=True)
    document_date = models.DateField(_("document date"))
    journal_date = models.DateField(_("journal date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-journal_date", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"], name="cases_journal_number_unique"
            ),
            models.UniqueConstraint(
                fields=["case", "number_in_case"], name="cases_journal_in_case_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "journal_date"], name="cases_journal_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or ENTRY_ONLINE_SOURCES & set(update_fields):
            self.online_title = self.online_title_compute()[:500]
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "online_title"}
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """The journal entry's id within its case: saksnummer-dokumentnummer."""
        return f"{self.case.reference}-{self.number_in_case}"

    @property
    def is_screened(self) -> bool:
        return bool(self.screening_basis)

    # --- public journal privacy (models/privacy.py) ---

    @property
    def names_withheld_online(self) -> bool:
        """Whether the online journal withholds the names of private persons in this
        entry: the handler's choice for the entry, else the case type's."""
        return (self.online_names or self.case.case_type.online_names) != OnlineNames.SHOWN

    def private_names(self) -> list[str]:
        """The names of private persons the entry carries: its parties who are not
        organisations, and the case's applicant."""
        return [*private_party_names(self.parties), self.case.applicant_name]

    def online_title_compute(self) -> str:
        """The title the online public journal shows (see models/privacy.py)."""
        base = (self.public_title or WITHHELD_MARK) if self.screening_basis else self.title
        if not self.names_withheld_online:
            return base
        return withhold_names(base, self.private_names())


class NumberSeries(models.Model):
    """The last number given out in a municipality's series for a year (case numbers,
    journal numbers). Read with a row lock, so concurrent submissions get distinct numbers."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    series = models.CharField(_("series"), max_length=20)
    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "series", "year"], name="cases_series_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"
