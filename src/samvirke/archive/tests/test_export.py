"""The archive export: valid against Arkivverket's schemas, checksums that hold, PDF/A
documents, the right cases, screening in the public journal, stable identifiers."""

from __future__ import annotations

import datetime
import hashlib
import io
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from lxml import etree
from pypdf import PdfReader

from samvirke.archive.identifiers import NAMESPACE
from samvirke.archive.selectors import period_bounds
from samvirke.archive.services import archive_export_create
from samvirke.archive.standards import standards_dir
from samvirke.archive.tests.conftest import PROTECTED_NAME, SCREENING
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.audit.services import audit_record
from samvirke.cases.journal.services import case_type_online_names_set
from samvirke.cases.models import Case, Document, OnlineNames

N5 = "http://www.arkivverket.no/standarder/noark5/"
NS = {
    "a": N5 + "arkivstruktur",
    "e": N5 + "endringslogg",
    "l": N5 + "loependeJournal",
    "o": N5 + "offentligJournal",
    "addml": "http://www.arkivverket.no/standarder/addml",
}
SCHEMAS = {
    "arkivstruktur.xml": "noark5/v5.0/arkivstruktur.xsd",
    "endringslogg.xml": "noark5/v5.0/endringslogg.xsd",
    "loependeJournal.xml": "noark5/v5.0/loependeJournal.xsd",
    "offentligJournal.xml": "noark5/v5.0/offentligJournal.xsd",
    "arkivuttrekk.xml": "addml/addml-8.3.xsd",
}


def _export(cases, target: Path, actor=None):
    return archive_export_create(
        organisation=cases.askim,
        date_from=cases.period[0],
        date_to=cases.period[1],
        destination=target,
        actor=actor,
    )


@pytest.fixture
def exported(archive_cases, standards_required, tmp_path):
    target = tmp_path / "uttrekk"
    result = _export(archive_cases, target)
    return archive_cases, result, target


def _xml(target: Path, name: str):
    return etree.parse(str(target / name))


def test_every_xml_file_is_valid_against_its_schema(exported):
    # given an export of Askim's closed cases, when each file is checked against the
    # schema in the shared standards folder, then none has an error
    _cases, _result, target = exported
    for name, schema_file in SCHEMAS.items():
        schema = etree.XMLSchema(etree.parse(str(standards_dir() / schema_file)))
        document = _xml(target, name)
        assert schema.validate(document), (name, [str(e) for e in schema.error_log][:5])


def test_addml_checksums_match_the_files(exported):
    cases, _result, target = exported
    addml = _xml(target, "arkivuttrekk.xml")
    files = addml.xpath("//addml:property[@name='file']", namespaces=NS)
    described = {}
    for file in files:
        name = file.xpath(
            "addml:properties/addml:property[@name='name']/addml:value/text()", namespaces=NS
        )[0]
        checksum = file.xpath(
            "addml:properties/addml:property[@name='checksum']/addml:properties",
            namespaces=NS,
        )[0]
        algorithm = checksum.xpath(
            "addml:property[@name='algorithm']/addml:value/text()", namespaces=NS
        )[0]
        value = checksum.xpath("addml:property[@name='value']/addml:value/text()", namespaces=NS)[0]
        assert algorithm == "SHA256"
        described[name] = value
    for name in (
        "arkivstruktur.xml",
        "endringslogg.xml",
        "loependeJournal.xml",
        "offentligJournal.xml",
        "arkivstruktur.xsd",
        "metadatakatalog.xsd",
    ):
        assert described[name] == hashlib.sha256((target / name).read_bytes()).hexdigest()
    assert addml.xpath(
        "//addml:additionalElement[@name='recordCreator']/addml:value/text()", namespaces=NS
    ) == [cases.askim.name]
    assert addml.xpath("//addml:property[@name='startDate']/addml:value/text()", namespaces=NS) == [
        "2011-06-01"
    ]
    assert addml.xpath(
        "//addml:additionalElement[@name='systemName']/addml:value/text()", namespaces=NS
    ) == ["Samvirke"]


def test_every_document_is_pdfa_and_matches_its_checksum(exported):
    cases, result, target = exported
    structure = _xml(target, "arkivstruktur.xml")
    objects = structure.xpath("//a:dokumentobjekt", namespaces=NS)
    expected = Document.objects.filter(journal_entry__case__in=[cases.public, cases.screened])
    assert len(objects) == expected.count() == result.documents == 6
    paths = set()
    for element in objects:
        path = element.findtext("a:referanseDokumentfil", namespaces=NS)
        content = (target / path).read_bytes()
        paths.add(path)
        assert hashlib.sha256(content).hexdigest() == element.findtext("a:sjekksum", namespaces=NS)
        assert element.findtext("a:sjekksumAlgoritme", namespaces=NS) == "SHA256"
        assert int(element.findtext("a:filstoerrelse", namespaces=NS)) == len(content)
        assert element.findtext("a:variantformat", namespaces=NS) == "Arkivformat"
        reader = PdfReader(io.BytesIO(content))
        catalog = reader.trailer["/Root"]
        assert "/OutputIntents" in catalog, path
        assert b"pdfaid:part" in catalog["/Metadata"].get_object().get_data(), path
    assert paths == {f"dokumenter/{p.name}" for p in (target / "dokumenter").iterdir()}


def test_uploads_that_are_not_pdfa_are_converted_and_say_so(exported):
    _cases, result, target = exported
    structure = _xml(target, "arkivstruktur.xml")
    converted = {
        d.findtext("a:tittel", namespaces=NS): d.find(
            "a:dokumentobjekt/a:konvertering", namespaces=NS
        )
        for d in structure.xpath("//a:dokumentbeskrivelse", namespaces=NS)
    }
    assert {name for name, c in converted.items() if c is not None} == {
        "foto.jpg",
        "kart.pdf",
        "merknad.txt",
    }
    assert converted["foto.jpg"].findtext("a:konvertertFraFormat", namespaces=NS) == "image/jpeg"
    assert converted["kart.pdf"].findtext("a:konvertertTilFormat", namespaces=NS) == "fmt/477"
    assert (
        converted["kart.pdf"]
        .findtext("a:konverteringsverktoey", namespaces=NS)
        .startswith("Ghostscript ")
    )
    assert (
        converted["foto.jpg"]
        .findtext("a:konverteringsverktoey", namespaces=NS)
        .startswith("WeasyPrint ")
    )
    assert result.converted == 3 and result.covered == 0  # the plain PDF's pages carried over


def test_only_the_municipalitys_cases_closed_in_the_period(exported):
    cases, _result, target = exported
    structure = _xml(target, "arkivstruktur.xml")
    exported_ids = set(structure.xpath("//a:mappe/a:mappeID/text()", namespaces=NS))
    start, end = period_bounds(*cases.period)
    in_period = Case.objects.filter(
        organisation=cases.askim, closed_at__gte=start, closed_at__lt=end
    )
    assert exported_ids == {c.reference for c in in_period}
    assert {cases.public.reference, cases.screened.reference} <= exported_ids
    folder_ids = set(structure.xpath("//a:mappe/a:systemID/text()", namespaces=NS))
    for case in cases.excluded:  # open, closed after the period, Spydeberg's
        assert str(uuid.uuid5(NAMESPACE, f"mappe:{case.pk}")) not in folder_ids
    saksmapper = structure.xpath("//a:mappe", namespaces=NS)
    assert all(m.findtext("a:saksstatus", namespaces=NS) == "Avsluttet" for m in saksmapper)


def test_the_journals_list_the_same_entries_as_the_structure(exported):
    _cases, _result, target = exported
    structure = _xml(target, "arkivstruktur.xml")
    in_structure = set(structure.xpath("//a:registrering/a:systemID/text()", namespaces=NS))
    for name, prefix in (("loependeJournal.xml", "l"), ("offentligJournal.xml", "o")):
        journal = _xml(target, name)
        listed = journal.xpath(f"//{prefix}:journalpost/{prefix}:systemID/text()", namespaces=NS)
        assert set(listed) == in_structure and len(listed) == len(in_structure)
        count = journal.xpath(f"//{prefix}:antallJournalposter/text()", namespaces=NS)
        assert count == [str(len(in_structure))]


def test_journal_post_types_are_noark_words(exported):
    _cases, _result, target = exported
    types = set(
        _xml(target, "arkivstruktur.xml").xpath("//a:journalposttype/text()", namespaces=NS)
    )
    assert types == {
        "Inngående dokument",
        "Utgående dokument",
        "Organinternt dokument for oppfølging",
        "Organinternt dokument uten oppfølging",
    }


def test_screened_entries_are_screened_in_the_structure_and_hidden_in_the_public_journal(
    exported,
):
    cases, _result, target = exported
    structure = _xml(target, "arkivstruktur.xml")
    folder = structure.xpath(f"//a:mappe[a:mappeID='{cases.screened.reference}']", namespaces=NS)[0]
    assert folder.findtext("a:skjerming/a:skjermingshjemmel", namespaces=NS) == SCREENING
    assert folder.findtext("a:skjerming/a:tilgangsrestriksjon", namespaces=NS) == "13"
    for post in folder.xpath("a:registrering", namespaces=NS):
        assert post.findtext("a:skjerming/a:skjermingshjemmel", namespaces=NS) == SCREENING
    public_folder = structure.xpath(
        f"//a:mappe[a:mappeID='{cases.public.reference}']", namespaces=NS
    )[0]
    assert public_folder.find("a:skjerming", namespaces=NS) is None

    # the running journal names the parties, the public one does not
    assert PROTECTED_NAME in (target / "loependeJournal.xml").read_text()
    public = (target / "offentligJournal.xml").read_text()
    assert PROTECTED_NAME not in public
    assert "*****" in public
    # names of private persons are withheld online by default: the public journal report
    # follows the online journal (cases/models/privacy.py); the running journal keeps them
    assert "Ola Demo" not in public and "Ola Demo" in (target / "loependeJournal.xml").read_text()
    assert "Melding om hull i veien" in public
    journal = _xml(target, "offentligJournal.xml")
    for post in journal.xpath(
        f"//o:journalregistrering[o:saksmappe/o:mappeID="
        f"'{cases.screened.reference}']/o:journalpost",
        namespaces=NS,
    ):
        assert post.findtext("o:skjermingshjemmel", namespaces=NS) == SCREENING
        names = post.xpath("o:korrespondansepart/o:korrespondansepartNavn/text()", namespaces=NS)
        assert names and set(names) == {"*****"}


def test_the_public_journal_report_names_private_persons_where_the_case_type_shows_them(
    archive_cases, standards_required, tmp_path
):
    case_type_online_names_set(
        case_type=archive_cases.public.case_type, online_names=OnlineNames.SHOWN
    )
    target = tmp_path / "uttrekk"
    _export(archive_cases, target)
    public = (target / "offentligJournal.xml").read_text()
    assert "Ola Demo" in public
    assert PROTECTED_NAME not in public  # screening still wins


def test_the_change_log_records_each_closing_with_who_closed(exported):
    cases, _result, target = exported
    log = _xml(target, "endringslogg.xml")
    closings = [
        c
        for c in log.xpath("//e:endring", namespaces=NS)
        if c.findtext("e:referanseMetadata", namespaces=NS) == "saksstatus"
        and c.findtext("e:nyVerdi", namespaces=NS) == "Avsluttet"
    ]
    assert len(closings) >= 2
    assert {c.findtext("e:endretAv", namespaces=NS) for c in closings} >= {str(cases.handler)}


def test_the_change_log_maps_audited_changes_to_noark_metadata(
    archive_cases, standards_required, tmp_path
):
    # given a retitled journal entry and a change the audit log keeps hidden
    entry = archive_cases.public.journal_entries.get(number_in_case=1)
    audit_record(
        action=AuditAction.UPDATE,
        obj=entry,
        actor=archive_cases.handler,
        changes={"title": ["Melding om hull", entry.title], "email": ["*", "*"]},
    )
    audit_record(
        action=AuditAction.UPDATE,
        obj=archive_cases.public,
        actor=archive_cases.handler,
        changes={"screening_basis": ["", SCREENING]},
    )
    # when exported, then both show in Noark's words, and the hidden one not at all
    _export(archive_cases, tmp_path / "x")
    log = _xml(tmp_path / "x", "endringslogg.xml")
    changes = {
        c.findtext("e:referanseMetadata", namespaces=NS): (
            c.findtext("e:referanseArkivenhet", namespaces=NS),
            c.findtext("e:tidligereVerdi", namespaces=NS),
            c.findtext("e:nyVerdi", namespaces=NS),
            c.findtext("e:endretAv", namespaces=NS),
        )
        for c in log.xpath("//e:endring", namespaces=NS)
    }
    assert changes["tittel"] == (
        str(uuid.uuid5(NAMESPACE, f"registrering:{entry.pk}")),
        "Melding om hull",
        entry.title,
        str(archive_cases.handler),
    )
    assert changes["skjermingshjemmel"][1:3] == ("(ingen verdi)", SCREENING)
    assert "*" not in (tmp_path / "x" / "endringslogg.xml").read_text()


def test_system_ids_are_uuids_that_stay_the_same_across_exports(
    archive_cases, standards_required, tmp_path
):
    _export(archive_cases, tmp_path / "first")
    _export(archive_cases, tmp_path / "second")

    def ids(directory):
        structure = _xml(directory, "arkivstruktur.xml")
        return structure.xpath("//a:systemID/text()", namespaces=NS)

    first, second = ids(tmp_path / "first"), ids(tmp_path / "second")
    assert first == second
    assert len(set(first)) == len(first)
    assert all(uuid.UUID(value).version == 5 for value in first)
    case_id = str(uuid.uuid5(NAMESPACE, f"mappe:{archive_cases.public.pk}"))
    assert case_id in first


def test_each_export_is_in_the_audit_log(exported):
    cases, result, target = exported
    event = AuditEvent.objects.filter(action="export", acting_for=cases.askim).latest("id")
    assert event.object_type == "organisations.organisation"
    assert event.details["cases"] == result.cases
    assert event.details["from"] == "2011-06-01" and event.details["to"] == "2011-06-30"
    assert (
        event.details["arkivuttrekk_sha256"]
        == hashlib.sha256((target / "arkivuttrekk.xml").read_bytes()).hexdigest()
    )


def test_an_empty_period_is_refused_and_leaves_nothing_behind(
    archive_cases, standards_required, tmp_path
):
    # loependeJournal.xsd requires at least one journalregistrering, so an export
    # without cases could not be valid: the service says so instead
    target = tmp_path / "tom"
    with pytest.raises(ValidationError) as error:
        archive_export_create(
            organisation=archive_cases.askim,
            date_from=datetime.date(1990, 1, 1),
            date_to=datetime.date(1990, 1, 31),
            destination=target,
        )
    assert error.value.code == "nothing_to_export"
    assert not target.exists()


def test_only_administrators_may_export(archive_cases, standards_required, tmp_path, demo):
    with pytest.raises(PermissionDenied):
        _export(archive_cases, tmp_path / "nei", actor=demo.user["askim.saksbehandler"])
    result = _export(archive_cases, tmp_path / "ja", actor=demo.user["askim.admin"])
    assert result.cases >= 2
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.actor == demo.user["askim.admin"]
