"""Documents in an archival format: every document file in an export is PDF/A.

A stored document that is PDF/A already (the platform's own letters and receipts, and
PDF/A uploads) goes out as it is. Others are made into PDF/A-2b:

- a PDF that is not PDF/A is converted by Ghostscript (`archive.ghostscript`), its
  pages carried over;
- an image (JPEG, PNG, GIF, WebP, TIFF, BMP) becomes a page showing the image (WeasyPrint);
- a plain text file becomes pages with its text (WeasyPrint);
- anything else (an office file, a file the virus scanner flagged, a PDF Ghostscript
  cannot convert) becomes a cover page that names the original file, its type, size and
  SHA-256. The original is not put in the export: Noark 5 deposits hold the archival
  variant only. It stays in Samvirke's document store, where the checksum on the cover
  identifies it.

Whether a PDF is PDF/A is read from the file itself, not from `Document.is_pdfa`: it must
carry the PDF/A identification (pdfaid:part and conformance in its XMP metadata) and an
output intent. That is what a PDF/A file declares, not a full conformance check (veraPDF
does that); files the platform makes with WeasyPrint pass both."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
import zlib
from dataclasses import dataclass
from importlib import metadata

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError  # WeasyPrint's own image library

from samvirke.archive import ghostscript
from samvirke.archive.codes import PDFA_PUIDS
from samvirke.cases.documents.services import PDFA_VARIANT, render_pdfa
from samvirke.cases.models import ScanStatus

ARCHIVE_PUID = PDFA_PUIDS["2b"]  # what conversions produce (PDFA_VARIANT)
ARCHIVE_LEVEL = PDFA_VARIANT.rsplit("-", 1)[1]  # "2b"
WEASYPRINT = f"WeasyPrint {metadata.version('weasyprint')}"  # without loading Pango
PDF = "application/pdf"

logger = logging.getLogger(__name__)

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_PART = re.compile(rb"pdfaid:part(?:>|=[\"'])\s*(\d)")
_CONFORMANCE = re.compile(rb"pdfaid:conformance(?:>|=[\"'])\s*([ABUabu])")


def pdfa_level(content: bytes) -> str | None:
    """The PDF/A part and conformance a PDF declares ("2b"), or None if it is not PDF/A.

    The XMP metadata and the document catalog are often in compressed streams, so the
    streams are inflated as well."""
    if not content.startswith(b"%PDF-"):
        return None
    part = conformance = None
    has_intent = False
    for chunk in _chunks(content):
        if part is None and (m := _PART.search(chunk)):
            part = m.group(1).decode()
        if conformance is None and (m := _CONFORMANCE.search(chunk)):
            conformance = m.group(1).decode().lower()
        has_intent = has_intent or b"/OutputIntents" in chunk
        if part and conformance and has_intent:
            level = part + conformance
            return level if level in PDFA_PUIDS else None
    return None


def _chunks(content: bytes):
    yield content
    for match in _STREAM.finditer(content):
        try:
            yield zlib.decompressobj().decompress(match.group(1))
        except zlib.error:
            continue


@dataclass(frozen=True)
class Conversion:
    """What was done to make a document PDF/A, for Noark's konvertering (M712–M715)."""

    from_format: str
    comment: str
    tool: str  # konverteringsverktoey: the program and its version
    content_kept: bool = True  # False: only a cover page stands for the original


@dataclass(frozen=True)
class ArchivalFile:
    content: bytes
    puid: str  # PRONOM identifier, Noark's format (M701)
    level: str  # "2b"
    conversion: Conversion | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def format_details(self) -> str:
        return f"PDF/A-{self.level}"


def archival_file(
    *, content: bytes, name: str, content_type: str, scan_status: str, reference: str
) -> ArchivalFile:
    """The document as PDF/A: itself if it is PDF/A already, otherwise converted.
    `reference` (the journal entry's number) goes on a cover page."""
    original = {
        "name": name,
        "content_type": content_type or "application/octet-stream",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "reference": reference,
    }
    if scan_status == ScanStatus.INFECTED:
        return _cover(original, _("The virus scanner found malware in the file."))
    level = pdfa_level(content)
    if level is not None:
        return ArchivalFile(content=content, puid=PDFA_PUIDS[level], level=level, conversion=None)
    image = _image_for_page(content)
    if image is not None:
        pdf = render_pdfa("archive/pdf/image.html", {"original": original, "image": image})
        return _converted(pdf, original, _("The image is shown on a PDF/A page."))
    text = _plain_text(content, content_type)
    if text is not None:
        pdf = render_pdfa("archive/pdf/text.html", {"original": original, "text": text})
        return _converted(pdf, original, _("The text is set on PDF/A pages."))
    if content.startswith(b"%PDF-"):
        return _pdf_converted(content, original)
    return _cover(original, _("The file type has no archival conversion."))


def _pdf_converted(content: bytes, original: dict) -> ArchivalFile:
    """The PDF's pages as PDF/A-2b by Ghostscript; a cover page if that cannot be had.
    Ghostscript's exit status is not enough: the result must declare PDF/A-2b itself."""
    try:
        pdf, tool = ghostscript.pdf_to_pdfa(content)
        if pdfa_level(pdf) != ARCHIVE_LEVEL:
            raise ghostscript.GhostscriptError("the result does not declare PDF/A-2b")
    except ghostscript.GhostscriptError as exc:
        # The document's name can hold personal data; the reference and checksum find it.
        logger.warning(
            "PDF in journal entry %s (SHA-256 %s) not converted to PDF/A, a cover page "
            "stands in for it: %s",
            original["reference"],
            original["sha256"],
            exc,
        )
        return _cover(original, _("The PDF is not PDF/A; its pages could not be carried over."))
    return _converted(
        pdf,
        {**original, "content_type": PDF},  # read from the file, whatever it was stored as
        _("The pages of the PDF are carried over to PDF/A."),
        tool=tool,
    )


def _converted(
    pdf: bytes, original: dict, comment: str, *, tool: str = WEASYPRINT, kept: bool = True
) -> ArchivalFile:
    return ArchivalFile(
        content=pdf,
        puid=ARCHIVE_PUID,
        level=ARCHIVE_LEVEL,
        conversion=Conversion(
            from_format=original["content_type"], comment=comment, tool=tool, content_kept=kept
        ),
    )


def _cover(original: dict, reason: str) -> ArchivalFile:
    pdf = render_pdfa("archive/pdf/cover.html", {"original": original, "reason": reason})
    comment = _(
        "Content not carried over: %(reason)s A cover page names the original file "
        "(SHA-256 %(sha256)s), which stays in Samvirke's document store."
    ) % {"reason": reason, "sha256": original["sha256"]}
    return _converted(pdf, original, comment, kept=False)


_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP"}


def _image_for_page(content: bytes) -> str | None:
    """The image as a data: URL WeasyPrint can place (JPEG kept, others as PNG), or None
    if the content is not an image Pillow can read."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in _IMAGE_FORMATS:
                return None
            image.load()
            if image.format == "JPEG" and image.mode in ("RGB", "L"):
                data, mime = content, "image/jpeg"
            else:
                frame = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                buffer = io.BytesIO()
                frame.save(buffer, format="PNG")
                data, mime = buffer.getvalue(), "image/png"
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _plain_text(content: bytes, content_type: str) -> str | None:
    if not content_type.startswith("text/plain"):
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("latin-1")
