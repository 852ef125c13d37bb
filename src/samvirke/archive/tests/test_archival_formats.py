"""Making documents PDF/A: what counts as PDF/A, and what each other kind becomes."""

from __future__ import annotations

import hashlib
import io
import logging
import subprocess

from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from samvirke.archive import ghostscript
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


def _plain_pdf(*texts: str) -> bytes:
    """A PDF that is not PDF/A, one page per text."""
    html = "".join(f'<p style="page-break-after: always">{t}</p>' for t in texts)
    return HTML(string=html).write_pdf()


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


def test_a_pdf_that_is_not_pdfa_is_converted_by_ghostscript_with_its_pages():
    original = _plain_pdf("Situasjonsplan for skolevei – æøå", "Side to: kart over krysset")
    assert pdfa_level(original) is None
    archival = _convert(original, "application/pdf")
    assert pdfa_level(archival.content) == "2b"
    assert archival.puid == "fmt/477" and archival.format_details == "PDF/A-2b"
    reader = PdfReader(io.BytesIO(archival.content))
    assert len(reader.pages) == 2
    assert "Situasjonsplan for skolevei – æøå" in reader.pages[0].extract_text()
    assert "Side to: kart over krysset" in reader.pages[1].extract_text()
    catalog = reader.trailer["/Root"]
    assert catalog["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    metadata = catalog["/Metadata"].get_object().get_data()
    assert b"pdfaid:part='2'" in metadata and b"pdfaid:conformance='B'" in metadata
    conversion = archival.conversion
    assert conversion.content_kept and conversion.from_format == "application/pdf"
    assert conversion.tool.startswith("Ghostscript 1")  # "Ghostscript 10.00.0"


def test_a_pdf_made_by_another_program_is_converted_too():
    writer = PdfWriter()
    writer.append(io.BytesIO(_plain_pdf("Byggesøknad, gnr. 12 bnr. 34")))
    writer.add_metadata({"/Title": "Ikke PDF/A (pypdf)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    archival = _convert(buffer.getvalue(), "application/octet-stream")
    assert pdfa_level(archival.content) == "2b"
    assert "Byggesøknad, gnr. 12 bnr. 34" in _text(archival.content)
    assert archival.conversion.from_format == "application/pdf"  # read from the file


def test_ghostscript_runs_without_a_shell_in_safe_mode_in_a_temporary_directory(monkeypatch):
    calls = []
    real_run = subprocess.run

    def recording_run(command, **kwargs):
        calls.append((command, kwargs))
        return real_run(command, **kwargs)

    ghostscript.ghostscript_version.cache_clear()
    monkeypatch.setattr(ghostscript.subprocess, "run", recording_run)
    archival = _convert(_plain_pdf("Situasjonsplan"), "application/pdf")
    assert archival.conversion.content_kept
    command, kwargs = calls[-1]
    assert isinstance(command, list) and not kwargs.get("shell")
    assert "-dSAFER" in command and "-dPDFA=2" in command
    assert kwargs["timeout"] == ghostscript.TIMEOUT_SECONDS
    assert kwargs["cwd"].name.startswith("samvirke-pdfa-") and not kwargs["cwd"].exists()


def test_a_corrupt_pdf_gets_a_cover_page_and_a_warning(caplog):
    content = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> broken\n%%EOF\n"
    with (
        caplog.at_level(logging.WARNING, logger="samvirke.archive.archival_formats"),
        translation.override("en"),
    ):
        archival = _convert(content, "application/pdf")
    assert pdfa_level(archival.content) == "2b"
    assert not archival.conversion.content_kept
    assert archival.conversion.tool.startswith("WeasyPrint")
    assert hashlib.sha256(content).hexdigest()[:40] in _text(archival.content).replace("\n", "")
    assert "its pages could not be carried over" in archival.conversion.comment
    assert "gs exited with" in caplog.text and "2011/00001-1" in caplog.text


def test_without_ghostscript_a_pdf_gets_a_cover_page_and_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(ghostscript, "ghostscript_executable", lambda: None)
    with caplog.at_level(logging.WARNING, logger="samvirke.archive.archival_formats"):
        archival = _convert(_plain_pdf("Situasjonsplan"), "application/pdf")
    assert pdfa_level(archival.content) == "2b"
    assert not archival.conversion.content_kept
    assert "Situasjonsplan" not in _text(archival.content)
    assert "not installed" in caplog.text


def test_ghostscript_that_takes_too_long_gives_a_cover_page(monkeypatch, caplog):
    def too_slow(command, **kwargs):
        if "--version" in command:
            return subprocess.CompletedProcess(command, 0, b"10.00.0\n", b"")
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    ghostscript.ghostscript_version.cache_clear()
    monkeypatch.setattr(ghostscript.subprocess, "run", too_slow)
    monkeypatch.setattr(ghostscript, "ghostscript_executable", lambda: "/usr/bin/gs")
    with caplog.at_level(logging.WARNING, logger="samvirke.archive.archival_formats"):
        archival = _convert(_plain_pdf("Situasjonsplan"), "application/pdf")
    ghostscript.ghostscript_version.cache_clear()
    assert not archival.conversion.content_kept
    assert f"more than {ghostscript.TIMEOUT_SECONDS} seconds" in caplog.text


def test_ghostscript_output_that_is_not_pdfa_gives_a_cover_page(monkeypatch, caplog):
    plain = _plain_pdf("Situasjonsplan")
    monkeypatch.setattr(ghostscript, "pdf_to_pdfa", lambda content: (plain, "Ghostscript 0"))
    with caplog.at_level(logging.WARNING, logger="samvirke.archive.archival_formats"):
        archival = _convert(plain, "application/pdf")
    assert pdfa_level(archival.content) == "2b"
    assert not archival.conversion.content_kept
    assert "does not declare PDF/A-2b" in caplog.text
