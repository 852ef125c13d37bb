"""Test data for the integration tests, made through the service square's core services.
The people are invented (test data)."""

from __future__ import annotations

import uuid

from samvirke.cases.core.selectors import route_for
from samvirke.cases.core.services import case_open
from samvirke.cases.documents.services import document_store
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import EntryType, ServiceOffering, Submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def offering_of(demo, municipality: str, form: str) -> ServiceOffering:
    return ServiceOffering.objects.select_related("form", "case_type", "organisation").get(
        organisation=demo.org[municipality], form__slug=form
    )


def case_with_submission(demo, municipality="askim", form="melding-til-kommunen", name="Kari"):
    """A case as the submit flow makes it: a submission with answers and an attachment, an
    incoming journal entry with the document. Test data: the names are invented."""
    offering = offering_of(demo, municipality, form)
    version = offering.form.versions.order_by("-number").first()
    title = f"{offering.form.title} - {name} Testesen"
    case = case_open(
        offering=offering,
        route=route_for(offering, {}),
        title=title,
        protected=[f"{name} Testesen"],
        applicant_name=f"{name} Testesen",
        applicant_email="kari.testesen@example.invalid",
    )
    submission = Submission.objects.create(
        key=uuid.uuid4(),
        offering=offering,
        form_version=version,
        answers={"message": "Testdata: hull i veien ved skolen."},
        case=case,
    )
    document = document_store(
        organisation=case.organisation,
        name="vedlegg.pdf",
        content=PDF,
        content_type="application/pdf",
        submission=submission,
        case=case,
    )
    journal_entry_create(
        case=case,
        entry_type=EntryType.INCOMING,
        title=title,
        protected=[f"{name} Testesen"],
        parties=[{"role": "sender", "name": f"{name} Testesen", "kind": "person"}],
        documents=[document],
    )
    return case


class MarkerScanner:
    """A stand-in virus scanner for tests: any file holding the marker is infected."""

    configured = True
    MARKER = b"TEST-VIRUS-MARKER"

    def scan(self, content: bytes):
        from samvirke.cases.documents.services import ScanResult
        from samvirke.cases.models import ScanStatus

        if self.MARKER in content:
            return ScanResult(ScanStatus.INFECTED, "Test.Marker")
        return ScanResult(ScanStatus.CLEAN)
