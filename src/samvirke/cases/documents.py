"""Stored documents and PDF/A rendering.

`document_store` keeps a file's bytes with its size and SHA-256 (the archive export's
checksums come from here). `render_pdfa` renders a template to PDF/A-2b with WeasyPrint:
fonts embedded, an sRGB output intent and XMP metadata with the PDF/A identification."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import translation

from samvirke.cases.models import Document, DocumentKind, ScanStatus

PDFA_VARIANT = "pdf/a-2b"


def document_store(
    *,
    organisation,
    name: str,
    content: bytes,
    content_type: str,
    kind: str = DocumentKind.ATTACHMENT,
    is_pdfa: bool = False,
    scan_status: str = ScanStatus.NOT_SCANNED,
    uploaded_by=None,
    **links,
) -> Document:
    """Saves the bytes as a new document. `links` are the document's draft, submission,
    case, journal_entry and field_key, as far as known."""
    document = Document(
        organisation=organisation,
        kind=kind,
        name=name[:255],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        is_pdfa=is_pdfa,
        scan_status=scan_status,
        uploaded_by=uploaded_by
        if uploaded_by is not None and uploaded_by.is_authenticated
        else None,
        **links,
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def render_pdfa(template_name: str, context: dict, *, language: str = "nb") -> bytes:
    """The template rendered to a PDF/A-2b document, in the given language."""
    from weasyprint import HTML  # imported late: Pango loads with it

    with translation.override(language):
        html = render_to_string(template_name, {**context, "language": language})
    return HTML(string=html, base_url=None).write_pdf(pdf_variant=PDFA_VARIANT)


def document_read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def document_response(document: Document, *, as_attachment: bool = True) -> FileResponse:
    """The stored file as a download (or shown in the browser with `as_attachment=False`),
    with its name and its sniffed type, and never kept by a shared cache. Callers fetch the
    document through a selector first, which checks the reader's reach, and audit the read
    where it is personal data. The file is passed open, not as an iterator: only then does
    FileResponse name the download (Content-Disposition) and give its length."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=as_attachment,
        filename=document.name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
