"""Stored files: uploads, receipts, letters, with their virus-scan status."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.cases.models.cases import Case
from samvirke.cases.models.journal import JournalEntry
from samvirke.cases.models.submissions import Draft, Submission


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
