"""The one check every uploaded file goes through (`cases.uploads.upload_check`): empty,
too large, a type found from the content and not from the name, text types, and the
virus-scan plugin's verdict (with fake scanners: the plugin contract, no network)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases.documents import uploads
from samvirke.cases.documents.scanning import ScannerUnavailable, ScanResult, VirusScanner
from samvirke.cases.documents.services import upload_check, upload_refusal_audit
from samvirke.cases.documents.uploads import UploadRefused
from samvirke.cases.models import ScanStatus
from samvirke.cases.tests.formdata import PDF, PNG

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
IMAGES_AND_PDF = ["application/pdf", "image/png", "image/jpeg"]


class AlwaysInfected(VirusScanner):
    verbose_name = "finds a virus"

    def scan(self, content: bytes) -> ScanResult:
        return ScanResult(ScanStatus.INFECTED, signature="Eicar-Test-Signature")


class AlwaysClean(VirusScanner):
    verbose_name = "finds nothing"

    def scan(self, content: bytes) -> ScanResult:
        return ScanResult(ScanStatus.CLEAN)


class NeverAnswers(VirusScanner):
    verbose_name = "never answers"

    def scan(self, content: bytes) -> ScanResult:
        raise ScannerUnavailable("clamd: connection refused")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refusal(upload, **limits) -> UploadRefused:
    limits = {"max_mb": 10, "allowed_types": IMAGES_AND_PDF, **limits}
    with pytest.raises(UploadRefused) as refused:
        upload_check(upload, **limits)
    return refused.value


def test_a_clean_file_comes_back_with_its_bytes_sniffed_type_and_scan_status(virus_scanner):
    virus_scanner(AlwaysClean)
    file = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    checked = upload_check(file, max_mb=10, allowed_types=IMAGES_AND_PDF)
    assert (checked.name, checked.content, checked.content_type) == (
        "plan.pdf",
        PDF,
        "application/pdf",
    )
    assert checked.scan_status == ScanStatus.CLEAN and checked.size == len(PDF)
    assert file.read() == PDF  # left at the start for a caller that reads it again


def test_without_a_scanner_the_file_is_stored_as_not_scanned(settings):
    settings.SAMVIRKE_VIRUS_SCANNER = "none"
    checked = upload_check(
        SimpleUploadedFile("a.png", PNG, "image/png"), max_mb=1, allowed_types=IMAGES_AND_PDF
    )
    assert checked.scan_status == ScanStatus.NOT_SCANNED


def test_the_name_and_declared_type_must_agree_with_the_content():
    # a PNG saved under a .jpg name, declared as JPEG by the browser: refused, saying so
    refused = refusal(SimpleUploadedFile("utsikt.jpg", PNG, "image/jpeg"))
    assert refused.code == "name_type_mismatch"
    assert refused.message.startswith("“utsikt.jpg” is not what its name or type says")
    assert "PNG" in refused.message
    # the right name but a wrong declared type is refused too
    assert refusal(SimpleUploadedFile("utsikt.png", PNG, "image/jpeg")).code == (
        "name_type_mismatch"
    )
    # the sniffed type is stored; a client that declares nothing or no extension passes
    for name, declared in [("utsikt.png", "image/png"), ("utsikt", "application/octet-stream")]:
        checked = upload_check(
            SimpleUploadedFile(name, PNG, declared), max_mb=1, allowed_types=IMAGES_AND_PDF
        )
        assert checked.content_type == "image/png"


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read():
    file = SimpleUploadedFile("big.pdf", PDF, "application/pdf")
    file.size = 3 * 1024 * 1024
    refused = refusal(file, max_mb=2)
    assert refused.code == "file_too_large"
    assert refused.message == "“big.pdf” is larger than 2 MB."


def test_the_size_is_checked_on_the_content_too_and_a_fraction_of_a_megabyte_reads_well():
    file = io.BytesIO(PDF + b"\0" * 1024 * 1024)  # no `size`: the content decides
    file.name = "big.pdf"
    refused = refusal(file, max_mb=0.5)
    assert refused.code == "file_too_large" and "0.5 MB" in refused.message


def test_an_empty_file_is_refused_by_name():
    refused = refusal(SimpleUploadedFile("tom.pdf", b"", "application/pdf"))
    assert (refused.code, refused.message) == ("file_empty", "“tom.pdf” is empty.")


def test_a_program_named_as_a_pdf_is_refused_with_the_allowed_types_as_citizens_know_them():
    refused = refusal(SimpleUploadedFile("tegning.pdf", EXE, "application/pdf"))
    assert refused.code == "content_type_mismatch"
    assert refused.message.startswith("“tegning.pdf” is not what its name says")
    assert refused.message.endswith("Allowed types: PDF, PNG or JPG.")


def test_content_of_no_known_type_is_refused():
    refused = refusal(SimpleUploadedFile("a.pdf", b"just words", "application/pdf"))
    assert refused.code == "content_type_unknown"
    assert refused.message == (
        "The content of “a.pdf” could not be recognised as one of the allowed types: "
        "PDF, PNG or JPG."
    )


def test_text_types_are_taken_when_allowed_and_the_content_is_text():
    allowed = ["application/pdf", "text/plain", "text/csv"]
    checked = upload_check(
        SimpleUploadedFile("liste.csv", "navn;gnr\nÅse;12\n".encode(), "text/csv; charset=utf-8"),
        max_mb=1,
        allowed_types=allowed,
    )
    assert checked.content_type == "text/csv"
    # binary content declared as text, and text where text is not allowed, are refused
    binary = SimpleUploadedFile("a.txt", b"abc\0def", "text/plain")
    assert refusal(binary, allowed_types=allowed).code == "content_type_unknown"
    not_allowed = SimpleUploadedFile("a.txt", b"words", "text/plain")
    assert refusal(not_allowed).code == "content_type_unknown"


def test_an_infected_file_is_refused_and_the_virus_named(virus_scanner):
    virus_scanner(AlwaysInfected)
    refused = refusal(SimpleUploadedFile("b.png", PNG, "image/png"))
    assert refused.code == "virus_found" and refused.signature == "Eicar-Test-Signature"
    assert (
        refused.message == "“b.png” contains a virus (Eicar-Test-Signature) and was not accepted."
    )


def test_a_scanner_that_does_not_answer_refuses_the_file_rather_than_storing_it_unscanned(
    virus_scanner,
):
    virus_scanner(NeverAnswers)
    refused = refusal(SimpleUploadedFile("b.png", PNG, "image/png"))
    assert refused.code == "scan_unavailable"
    assert refused.message.startswith("“b.png” could not be checked for viruses just now.")


def test_the_file_is_named_without_the_folder_it_came_from():
    file = io.BytesIO(b"")
    file.name = "C:\\Users\\kari\\tom.pdf"
    assert refusal(file).message == "“tom.pdf” is empty."


def test_messages_are_in_the_active_language():
    with translation.override("nb"):
        refused = refusal(SimpleUploadedFile("tom.pdf", b"", "application/pdf"))
    assert refused.message == "«tom.pdf» er tom."


@pytest.mark.django_db
def test_only_a_refused_virus_is_audited(virus_scanner):
    virus_scanner(AlwaysInfected)
    refused_uploads = AuditEvent.objects.filter(object_label="refused upload")
    empty = refusal(SimpleUploadedFile("a.pdf", b"", "application/pdf"))
    upload_refusal_audit(empty, actor=None)
    assert not refused_uploads.exists()
    virus = refusal(SimpleUploadedFile("b.png", PNG, "image/png"))
    upload_refusal_audit(virus, actor=None, details={"case": "2025/1"})
    event = refused_uploads.get()
    assert event.action == AuditAction.CREATE and event.object_type == "cases.document"
    assert event.details == {
        "refused": "virus",
        "signature": "Eicar-Test-Signature",
        "case": "2025/1",
    }


def test_the_codes_are_the_ones_callers_map():
    assert {
        uploads.EMPTY,
        uploads.TOO_LARGE,
        uploads.TYPE_MISMATCH,
        uploads.TYPE_UNKNOWN,
        uploads.SCAN_UNAVAILABLE,
        uploads.VIRUS_FOUND,
    } == {
        "file_empty",
        "file_too_large",
        "content_type_mismatch",
        "content_type_unknown",
        "scan_unavailable",
        "virus_found",
    }
