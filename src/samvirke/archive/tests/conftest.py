"""Closed cases to export, built through the service square's own services: Askim's
(screened and public, with I, U, N and X entries and documents of every kind), and cases
that must stay out (open, another municipality's, closed outside the period)."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.utils import timezone
from PIL import Image

from samvirke.archive import standards
from samvirke.cases.core.selectors import Route
from samvirke.cases.core.services import case_open, case_status_move
from samvirke.cases.demo import standard_case_type
from samvirke.cases.documents.services import document_store, render_pdfa
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import Case, DocumentKind, EntryType
from samvirke.organisations.models import AreaOfWork, Unit

PERIOD = (datetime.date(2011, 6, 1), datetime.date(2011, 6, 30))
SCREENING = "Offl. § 13, jf. fvl. § 13 første ledd nr. 1"
PROTECTED_NAME = "Testine Testesen (demo)"


@pytest.fixture
def standards_required():
    """Tests that write or validate an export need Arkivverket's schemas."""
    if not (standards.standards_dir() / standards.NOARK5_DIR).is_dir():
        pytest.skip(
            f"Noark 5 and ADDML schemas not found in {standards.standards_dir()} "
            "(set SAMVIRKE_STANDARDS_DIR to the folder holding noark5/ and addml/)"
        )


def _at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2011, 6, day, hour, tzinfo=timezone.get_current_timezone())


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 160), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def _plain_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Situasjonsplan (ikke PDF/A)</p>").write_pdf()


def _letter(text: str) -> bytes:
    return render_pdfa(
        "archive/pdf/text.html", {"original": {"reference": "", "name": ""}, "text": text}
    )


def _open(org, unit, area, title, *, protected=(), screening="", day=1, applicant=""):
    return case_open(
        offering=None,
        route=Route(handling_organisation_id=org.pk, handling_unit=unit),
        title=title,
        protected=protected,
        case_type=standard_case_type(),
        organisation=org,
        area=area,
        applicant_name=applicant,
        applicant_email="testine@example.invalid" if applicant else "",
        screening_basis=screening,
        opened_at=_at(day, 9),
    )


def _close(case, actor, day):
    case_status_move(case=case, to_status="closed", actor=actor)
    Case.objects.filter(pk=case.pk).update(closed_at=_at(day, 15))
    case.refresh_from_db()


@pytest.fixture
def archive_cases(demo):
    askim, spydeberg = demo.org["askim"], demo.org["spydeberg"]
    handler = demo.user["askim.saksbehandler"]
    unit = Unit.objects.get(organisation=askim, slug="servicetorget")
    area = AreaOfWork.objects.get(code="informasjon-og-web")
    ppt = AreaOfWork.objects.get(code="skole")
    school_unit = Unit.objects.get(organisation=askim, slug="oppvekst")

    def store(name, content, content_type, kind=DocumentKind.ATTACHMENT, pdfa=False, **links):
        return document_store(
            organisation=askim,
            name=name,
            content=content,
            content_type=content_type,
            kind=kind,
            is_pdfa=pdfa,
            **links,
        )

    # a public case: incoming with a PDF/A form and a citizen's photo, an outgoing
    # letter, and an internal note without parties
    public = _open(askim, unit, area, "Melding om hull i veien, Storgata", applicant="Ola Demo")
    journal_entry_create(
        case=public,
        entry_type=EntryType.INCOMING,
        title="Melding om hull i veien",
        parties=[{"role": "sender", "name": "Ola Demo", "kind": "person"}],
        documents=[
            store(
                "melding.pdf",
                _letter("Meldingen"),
                "application/pdf",
                DocumentKind.SUBMISSION,
                True,
            ),
            store("foto.jpg", _jpeg(), "image/jpeg"),
        ],
    )
    journal_entry_create(
        case=public,
        entry_type=EntryType.OUTGOING,
        title="Svar på melding om hull i veien",
        parties=[{"role": "recipient", "name": "Ola Demo", "kind": "person"}],
        documents=[
            store("svar.pdf", _letter("Svar"), "application/pdf", DocumentKind.LETTER, True)
        ],
        actor=handler,
    )
    journal_entry_create(case=public, entry_type=EntryType.NOTE, title="Notat: utbedret")
    _close(public, handler, 10)

    # a screened case: the applicant's name is protected
    screened = _open(
        askim,
        school_unit,
        ppt,
        f"Søknad om skoleskyss – {PROTECTED_NAME}",
        protected=[PROTECTED_NAME],
        screening=SCREENING,
        day=2,
        applicant=PROTECTED_NAME,
    )
    journal_entry_create(
        case=screened,
        entry_type=EntryType.INCOMING,
        title=f"Søknad om skoleskyss – {PROTECTED_NAME}",
        protected=[PROTECTED_NAME],
        parties=[{"role": "sender", "name": PROTECTED_NAME, "kind": "person"}],
        documents=[
            store("kart.pdf", _plain_pdf(), "application/pdf"),
            store("merknad.txt", b"Skolevei langs fylkesvei\n", "text/plain"),
        ],
    )
    journal_entry_create(
        case=screened,
        entry_type=EntryType.NOTE_FOLLOW_UP,
        title="Vurdering av skolevei",
        parties=[
            {"role": "sender", "name": "Oppvekst", "kind": "organisation"},
            {"role": "recipient", "name": "Teknisk drift og eiendom", "kind": "organisation"},
        ],
        actor=handler,
    )
    journal_entry_create(
        case=screened,
        entry_type=EntryType.OUTGOING,
        title=f"Vedtak om skoleskyss – {PROTECTED_NAME}",
        protected=[PROTECTED_NAME],
        parties=[{"role": "recipient", "name": PROTECTED_NAME, "kind": "person"}],
        documents=[
            store("vedtak.pdf", _letter("Vedtak"), "application/pdf", DocumentKind.LETTER, True)
        ],
        actor=handler,
    )
    _close(screened, handler, 20)

    still_open = _open(askim, unit, area, "Åpen sak som ikke skal med", day=3)
    late = _open(askim, unit, area, "Sak avsluttet etter perioden", day=4)
    _close(late, handler, 4)
    Case.objects.filter(pk=late.pk).update(closed_at=_at(30) + datetime.timedelta(days=2))
    spydeberg_unit = Unit.objects.get(organisation=spydeberg, slug="servicetorget")
    other = _open(spydeberg, spydeberg_unit, area, "Spydebergs sak", day=5)
    _close(other, None, 5)

    return SimpleNamespace(
        askim=askim,
        handler=handler,
        public=public,
        screened=screened,
        excluded=[still_open, late, other],
        period=PERIOD,
    )
