"""The documents Samvirke makes itself when a form is sent: the submitted form as PDF/A and
the receipt. Their virus-scan status says only what a scanner found ("not scanned"
without one, never "no virus found"), and the receipt is named in the installation's
language with the case number."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from samvirke.accounts.tests.factories import citizen, eid_client
from samvirke.cases.documents import uploads
from samvirke.cases.documents.scanning import ScannerUnavailable, ScanResult, VirusScanner
from samvirke.cases.models import DocumentKind, ScanStatus
from samvirke.cases.submission import services as submitting
from samvirke.cases.submission.services import (
    PreCaseStep,
    pre_case_steps,
    submission_open_case,
    submission_receive,
)
from samvirke.cases.tests.factories import filled_message_draft
from samvirke.web.tests.translations import fake_catalogue

pytestmark = pytest.mark.django_db


class CleanScanner(VirusScanner):
    """A configured scanner that finds nothing, and remembers what it was shown."""

    verbose_name = "finds nothing"

    scanned: list[bytes] = []

    def scan(self, content: bytes) -> ScanResult:
        type(self).scanned.append(content)
        return ScanResult(ScanStatus.CLEAN)


class DownScanner(VirusScanner):
    """A configured scanner that cannot be reached (clamd stopped)."""

    verbose_name = "clamd stopped"

    def scan(self, content: bytes) -> ScanResult:
        raise ScannerUnavailable("clamd: connection refused")


def generated(submission):
    form_pdf = submission.documents.get(kind=DocumentKind.SUBMISSION)
    receipt = submitting.receipt_document(submission)
    return form_pdf, receipt


def test_without_a_scanner_the_generated_documents_say_not_scanned(demo, settings):
    settings.SAMVIRKE_VIRUS_SCANNER = "none"
    user = citizen(level="high")
    submission = submission_receive(draft=filled_message_draft(demo, user), actor=user)
    for document in generated(submission):
        assert document.scan_status == ScanStatus.NOT_SCANNED, document.kind
        with translation.override("en"):
            shown = document.get_scan_status_display()
        assert shown.startswith("Not scanned") and "No virus found" not in shown


def test_with_a_scanner_the_generated_documents_are_scanned(demo, virus_scanner):
    virus_scanner(CleanScanner)
    CleanScanner.scanned = []
    user = citizen(level="high")
    submission = submission_receive(draft=filled_message_draft(demo, user), actor=user)
    form_pdf, receipt = generated(submission)
    assert form_pdf.scan_status == receipt.scan_status == ScanStatus.CLEAN
    # "no virus found" because the scanner looked at exactly these bytes
    assert [form_pdf.file.open("rb").read(), receipt.file.open("rb").read()] == (
        CleanScanner.scanned
    )


def test_a_scanner_that_is_down_does_not_stop_the_submission(demo, virus_scanner):
    virus_scanner(DownScanner)
    user = citizen(level="high")
    submission = submission_receive(draft=filled_message_draft(demo, user), actor=user)
    assert submission.case is not None
    for document in generated(submission):
        assert document.scan_status == ScanStatus.NOT_SCANNED


def test_the_receipt_is_named_in_the_installation_language_with_the_case_number(demo):
    user = citizen(level="high")
    submission = submission_receive(
        draft=filled_message_draft(demo, user), actor=user, language="en"
    )
    number = submission.case.reference.replace("/", "-")
    assert re.fullmatch(r"\d{4}-\d{5}", number)
    # the citizen wrote in English; the case's records are in the installation's bokmål
    with fake_catalogue({"receipt-%(reference)s.pdf": "kvittering-%(reference)s.pdf"}):
        receipt = submitting.receipt_document(submission)
    assert receipt.name == f"kvittering-{number}.pdf"
    assert receipt.case == submission.case
    # and it is the name of the citizen's download
    response = eid_client(user).get(reverse("submit:receipt-pdf", kwargs={"key": submission.key}))
    assert f'filename="kvittering-{number}.pdf"' in response["Content-Disposition"]


def test_a_receipt_before_the_case_number_is_named_by_the_time_received(demo):
    class NeighboursFirst(PreCaseStep):
        verbose_name = "neighbours first"

        def applies(self, submission):
            return True

    user = citizen(level="high")
    with pre_case_steps.temporarily("neighbours-first", NeighboursFirst):
        submission = submission_receive(draft=filled_message_draft(demo, user), actor=user)
    waiting = submitting.receipt_document(submission)
    assert re.fullmatch(r"(kvittering|receipt)-\d{4}-\d{2}-\d{2}-\d{4}\.pdf", waiting.name)
    # once the case is opened, the receipt made again carries the case number
    case = submission_open_case(submission, processing_days=21)
    submission.refresh_from_db()
    receipt = submitting.receipt_document(submission)
    number = case.reference.replace("/", "-")
    assert re.fullmatch(rf"(kvittering|receipt)-{number}\.pdf", receipt.name)


def test_a_refused_file_names_the_allowed_types_as_citizens_know_them(demo):
    with translation.override("en"), pytest.raises(uploads.UploadRefused) as refused:
        uploads.content_type_verify(
            b"MZ\x90\x00" + b"\x00" * 200,
            name="tegning.pdf",
            declared="application/pdf",
            allowed=["application/pdf", "image/png", "image/jpeg"],
        )
    assert refused.value.message.endswith("Allowed types: PDF, PNG or JPG.")
