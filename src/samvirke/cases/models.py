"""The service square's records: e-services switched on per municipality, routing rules,
drafts and submissions, cases with their workflow as data, the journal and its documents.

Words (see ../shared/docs/domain.md): a *case* is a sak (saksmappe in Noark 5), a *journal
entry* a journalpost with type I (incoming), U (outgoing), N (internal note with follow-up)
or X (internal note without follow-up), a *document* a dokument. The owning municipality
(`organisation`) is the one whose citizen applied and whose journal and archive the case
belongs to; the handling organisation and unit may be another municipality's, when a
cooperation arrangement makes it the host (vertskommune).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def translated_text(texts: dict | None, language: str | None = None) -> str:
    """A text kept as {"nb": …, "en": …}: the language's text, else bokmål."""
    if not texts:
        return ""
    language = (language or get_language() or "nb")[:2]
    return texts.get(language) or texts.get("nb") or next(iter(texts.values()), "")


class Phase(models.TextChoices):
    """What a workflow status means to the platform. A case type names its own statuses;
    each status has one of these phases."""

    OPEN = "open", _("Open")
    PAUSED = "paused", _("Waiting for the applicant (deadline paused)")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class CaseType(models.Model):
    """A kind of case with its statuses and allowed transitions, defined as data.

    `workflow` is {"initial": key, "statuses": [{"key", "label": {lang: text},
    "citizen_label"?: {lang: text}, "phase": open|paused|decided|closed}], "transitions":
    [{"from": key, "to": key}]}; `samvirke.cases.workflow` checks and reads it."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.JSONField(_("name"), help_text=_('The name per language, {"nb": …, "en": …}.'))
    workflow = models.JSONField(_("workflow"), help_text=_("Statuses and allowed transitions."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case type")
        verbose_name_plural = _("case types")
        ordering = ["slug"]

    def __str__(self) -> str:
        return translated_text(self.name)


class ServiceOffering(models.Model):
    """A form from the regional library switched on for one municipality, with that
    municipality's settings (tjeneste)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="service_offerings",
        verbose_name=_("municipality"),
    )
    form = models.ForeignKey(
        "eservices.FormDefinition",
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("form"),
    )
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("case type")
    )
    is_active = models.BooleanField(
        _("switched on"), default=True, help_text=_("Citizens can submit the form.")
    )
    responsible_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible unit"),
        help_text=_("The unit that handles cases unless a routing rule says otherwise."),
    )
    contact = models.JSONField(
        _("contact"), default=dict, blank=True, help_text=_("Contact text per language.")
    )
    fee = models.JSONField(
        _("fee"), default=dict, blank=True, help_text=_("Fee text per language.")
    )
    processing_days = models.PositiveIntegerField(
        _("processing deadline (days)"),
        default=30,
        help_text=_("Calendar days from receipt to the expected decision."),
    )
    status_texts = models.JSONField(
        _("status texts"),
        default=dict,
        blank=True,
        help_text=_("What the applicant sees per status: {status key: {language: text}}."),
    )
    screening_basis = models.CharField(
        _("screening basis"),
        max_length=200,
        blank=True,
        help_text=_(
            "Legal basis for screening cases of this service from the public journal, "
            "for example “Offl. § 13, jf. fvl. § 13 første ledd nr. 1”. Empty: public."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        ordering = ["organisation", "form"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "form"], name="cases_offering_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form} ({self.organisation})"


class RoutingRule(models.Model):
    """Where a municipality's submissions go, as data. The active rule with the lowest
    `priority` whose form, area and condition match decides the handling unit; with
    `via_arrangement` the case is handled by the arrangement's host unit while the
    municipality stays the owner. No matching rule: the offering's responsible unit."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("municipality"),
    )
    form = models.ForeignKey(
        "eservices.FormDefinition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("form"),
        help_text=_("Empty: every form in the area of work."),
    )
    area = models.ForeignKey(
        "organisations.AreaOfWork",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area of work"),
        help_text=_("Empty: every area of work."),
    )
    condition = models.JSONField(
        _("condition"),
        null=True,
        blank=True,
        help_text=_("A condition on the answers, written as a form's visible_if."),
    )
    via_arrangement = models.ForeignKey(
        "organisations.CooperationArrangement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("through arrangement"),
        help_text=_("Route to this arrangement's host unit."),
    )
    target_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("The handling unit (empty with an arrangement: its host unit)."),
    )
    priority = models.PositiveIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["organisation", "priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_unit__isnull=False)
                | models.Q(via_arrangement__isnull=False),
                name="cases_routing_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.form or self.area or '*'}"


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

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.offering} ({self.key})"


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

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.offering} {self.submitted_at:%Y-%m-%d %H:%M}"


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

    @property
    def reference(self) -> str:
        """The journal entry's id within its case: saksnummer-dokumentnummer."""
        return f"{self.case.reference}-{self.number_in_case}"

    @property
    def is_screened(self) -> bool:
        return bool(self.screening_basis)


class ScanStatus(models.TextChoices):
    NOT_SCANNED = "not_scanned", _("Not scanned (no virus scanner configured)")
    CLEAN = "clean", _("No virus found")
    INFECTED = "infected", _("Virus found")


class DocumentKind(models.TextChoices):
    ATTACHMENT = "attachment", _("Attachment")
    SUBMISSION = "submission", _("Submitted form")
    RECEIPT = "receipt", _("Receipt")
    LETTER = "letter", _("Letter")
    NOTICE = "notice", _("Notice")


def document_upload_to(document: Document, filename: str) -> str:
    return f"cases/{document.organisation_id}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A stored file: an upload, a receipt, a letter. It belongs to the owning
    municipality and, as the case goes on, to a draft, a submission, a case and a
    journal entry. Its content is never served without a permission check."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.ATTACHMENT
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_pdfa = models.BooleanField(_("PDF/A"), default=False)
    scan_status = models.CharField(
        _("virus scan"), max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED
    )
    field_key = models.CharField(_("form field"), max_length=64, blank=True)
    draft = models.ForeignKey(
        Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    journal_entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


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
