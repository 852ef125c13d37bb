"""Making documents PDF/A: what counts as PDF/A, and what each other kind becomes."""

from __future__ import annotations

import hashlib
import io

from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from samvirke.archive.archival_formats import archival_file, pdfa_level
from samvirke.cases.models import ScanStatus


def _convert(content: bytes, content_type: str, scan_status=ScanStatus.CLEAN):
    return archival_file(
        content=content,
        name="fil",
        content_type=content_type,
        scan_status=scan_status,
        reference="2011/00001-1",
    )


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdfa_is_read_from_the_file_itself():
    assert pdfa_level(HTML(string="<p>A</p>").write_pdf(pdf_variant="pdf/a-2b")) == "2b"
    assert pdfa_level(HTML(string="<p>A</p>").write_pdf()) is None
    assert pdfa_level(b"not a pdf at all") is None


def test_a_pdfa_document_goes_out_unchanged():
    pdf = HTML(string="<p>Vedtak</p>").write_pdf(pdf_variant="pdf/a-2b")
    archival = _convert(pdf, "application/pdf")
    assert archival.content == pdf and archival.conversion is None
    assert archival.puid == "fmt/477"


def test_a_png_with_transparency_becomes_a_pdfa_page_with_the_image():
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 0, 255, 120)).save(buffer, "PNG")
    archival = _convert(buffer.getvalue(), "image/png")
    assert pdfa_level(archival.content) == "2b"
    assert archival.conversion.content_kept
    assert len(PdfReader(io.BytesIO(archival.content)).pages[0].images) == 1


def test_plain_text_is_set_on_pdfa_pages():
    archival = _convert("Skolevei langs fylkesvei – æøå".encode(), "text/plain; charset=utf-8")
    assert pdfa_level(archival.content) == "2b"
    assert "Skolevei langs fylkesvei" in _text(archival.content)


def test_an_infected_file_is_never_rendered_only_named_on_a_cover_page():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "JPEG")
    archival = _convert(buffer.getvalue(), "image/jpeg", ScanStatus.INFECTED)
    assert pdfa_level(archival.content) == "2b"
    assert not archival.conversion.content_kept
    assert not PdfReader(io.BytesIO(archival.content)).pages[0].images
    assert archival.conversion.comment.count("SHA-256") == 1


def test_a_file_with_no_archival_conversion_gets_a_cover_page_with_its_checksum():
    content = b"PK\x03\x04 an office file"
    archival = _convert(content, "application/vnd.openxmlformats-officedocument")
    assert pdfa_level(archival.content) == "2b"
    assert hashlib.sha256(content).hexdigest()[:40] in _text(archival.content).replace("\n", "")
