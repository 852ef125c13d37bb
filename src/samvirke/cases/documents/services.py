"""Writing documents: storing a file, rendering PDF/A, checking an upload before it is
stored, and reading a stored document's bytes for an export.

`document_store` keeps a file's bytes with its size and SHA-256 (the archive export's
checksums come from here). `render_pdfa` renders a template to PDF/A-2b with WeasyPrint:
fonts embedded, an sRGB output intent and XMP metadata with the PDF/A identification.

`upload_check` is the one check for every place a file comes in (an e-service's file
question, a reply in My cases, a neighbour's answer, a journal entry through the API): it
refuses, in this order, a file that is empty, one larger than the limit, one whose
**content** is not of an allowed type (see `uploads`), one whose content does not hold
up when read in full (an image that does not decode within the pixel limit, a PDF that
does not parse or carries JavaScript, launch actions or embedded files, a name or
declared type that does not match; `samvirke.core.filecontent`), and one the virus-scan plugin
(`scanning`) finds infected or cannot answer for. It raises `UploadRefused` with a stable
code and a translated message that names the file, and returns a `CheckedUpload`
otherwise. Each caller turns `UploadRefused` into its own error shape and calls
`upload_refusal_audit` outside any transaction it rolls back, so that a refused virus is
always on the audit trail.

Other apps use the upload types and refusal codes from here (re-exported below), not from
the helper modules `uploads` and `scanning`."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases.documents.scanning import (
    ScannerUnavailable,
    ScanResult,
    VirusScanner,
    scanner,
    virus_scanners,
)
from samvirke.cases.documents.uploads import (
    EMPTY,
    IMAGE_INVALID,
    IMAGE_TOO_LARGE,
    NAME_TYPE_MISMATCH,
    PDF_EMBEDDED_FILE,
    PDF_INVALID,
    PDF_SCRIPT,
    SCAN_UNAVAILABLE,
    TOO_LARGE,
    TYPE_MISMATCH,
    TYPE_UNKNOWN,
    VIRUS_FOUND,
    CheckedUpload,
    UploadRefused,
    content_type_verify,
    content_verify,
    upload_name,
)
from samvirke.cases.models import Document, DocumentKind, ScanStatus
from samvirke.core.files import file_forget, file_save
from samvirke.eservices.engine.file_types import MEGABYTE

# The types and refusal codes callers of `upload_check` need, and the virus scanner plugin
# kind with its registry (other apps import them from here, the public surface of
# documents).
__all__ = [
    "EMPTY",
    "IMAGE_INVALID",
    "IMAGE_TOO_LARGE",
    "NAME_TYPE_MISMATCH",
    "PDF_EMBEDDED_FILE",
    "PDF_INVALID",
    "PDF_SCRIPT",
    "PDFA_VARIANT",
    "SCAN_UNAVAILABLE",
    "TOO_LARGE",
    "TYPE_MISMATCH",
    "TYPE_UNKNOWN",
    "VIRUS_FOUND",
    "CheckedUpload",
    "ScanResult",
    "ScannerUnavailable",
    "UploadRefused",
    "VirusScanner",
    "document_read",
    "document_store",
    "render_pdfa",
    "upload_check",
    "upload_refusal_audit",
    "virus_scanners",
]

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
    # kept only if the caller's transaction commits (`core.files`); a killed process's
    # file is found by the orphan sweep
    file_save(document.file, name, ContentFile(content))
    try:
        document.save()
    except BaseException:
        file_forget(document.file)
        raise
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


def upload_check(
    upload, *, max_mb: float, allowed_types: list[str] | tuple[str, ...]
) -> CheckedUpload:
    """Checks one uploaded file (a Django `UploadedFile` or anything with `read()`,
    `name`, and optionally `size` and `content_type`): not empty, at most `max_mb`
    megabytes, content of one of `allowed_types` (MIME types), content that holds up
    when read in full (`uploads.content_verify`), and not infected. Raises
    `UploadRefused`; a scanner that cannot answer refuses the file too, so nothing is
    stored unscanned.

    The type is found from the content, and the name's extension and the type a browser
    declares must agree with it: a PNG under a .jpg name is refused with a message that
    says what it is, rather than stored as something its name is not. A declared type
    that says nothing (`application/octet-stream`) and a name without an extension are
    not compared. Text types, which have no signature, rely on the declared type."""
    name = upload_name(upload) or _("file")
    limit = int(max_mb * MEGABYTE)
    too_large = UploadRefused(
        TOO_LARGE,
        _("“%(name)s” is larger than %(n)s MB.") % {"name": name, "n": _megabytes(max_mb)},
    )
    size = getattr(upload, "size", None)
    if size is not None and size > limit:  # before reading it all into memory
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read()
    if hasattr(upload, "seek"):
        upload.seek(0)  # a caller may read it again
    if not content:
        raise UploadRefused(EMPTY, _("“%(name)s” is empty.") % {"name": name})
    if len(content) > limit:
        raise too_large
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    content_type = content_type_verify(
        content, name=name, declared=declared, allowed=list(allowed_types)
    )
    content_verify(content, name=name, declared=declared, found=content_type)
    try:
        result = scanner().scan(content)
    except ScannerUnavailable:
        logger.warning("virus scanner unavailable; upload refused")
        raise UploadRefused(
            SCAN_UNAVAILABLE,
            _("“%(name)s” could not be checked for viruses just now. Please try again later.")
            % {"name": name},
        ) from None
    if result.infected:
        logger.warning("virus found in an upload", extra={"signature": result.signature})
        raise UploadRefused(
            VIRUS_FOUND,
            _("“%(name)s” contains a virus (%(signature)s) and was not accepted.")
            % {"name": name, "signature": result.signature},
            signature=result.signature,
        )
    return CheckedUpload(
        name=upload_name(upload),
        content=content,
        content_type=content_type,
        scan_status=result.status,
    )


def upload_refusal_audit(
    refused: UploadRefused, *, actor, acting_for=None, details: dict[str, Any] | None = None
) -> None:
    """Records a refused virus on the audit trail (a security event); other refusals are
    the sender's mistakes and are not audited. Call it outside any transaction that the
    refusal rolls back, or the record goes with it."""
    if refused.code != VIRUS_FOUND:
        return
    audit_record(
        action=AuditAction.CREATE,
        object_type="cases.document",
        object_label="refused upload",
        actor=actor,
        acting_for=acting_for,
        details={"refused": "virus", "signature": refused.signature, **(details or {})},
    )


logger = logging.getLogger(__name__)


def _megabytes(max_mb: float) -> str:
    return formats.number_format(int(max_mb) if max_mb == int(max_mb) else max_mb)
