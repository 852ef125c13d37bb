"""arkivstruktur.xml: the archive's structure with every case, journal entry and document.

arkiv (the municipality's archive in Samvirke)
  arkivdel (the export's period)
    klassifikasjonssystem (areas of work, one level)
      klasse (an area of work)
        mappe xsi:type="saksmappe" (a case)
          registrering xsi:type="journalpost" (a journal entry)
            dokumentbeskrivelse (a document)
              dokumentobjekt (its PDF/A file under dokumenter/)

Element order follows the schema: in a saksmappe the case's own elements (saksaar, …)
come after its journal entries, and in a journalpost the journal's elements after the
registration's, because the schema adds them by extension."""

from __future__ import annotations

from itertools import groupby

from django.utils.translation import gettext as _
from lxml import etree

from samvirke.archive import codes
from samvirke.archive.mapping import (
    ExportContents,
    ExportedDocument,
    attachment_count,
    case_id,
    case_responsible,
    entry_id,
    entry_parties,
    person,
    xml_date,
    xml_datetime,
)
from samvirke.archive.selectors import period_bounds
from samvirke.archive.xmltree import XSI, document_root, element_writer
from samvirke.cases.models import Case, JournalEntry

NAMESPACE = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
SCHEMA_FILE = "arkivstruktur.xsd"
CLASSIFICATION_TYPE = "Emnebasert, ett nivå"  # M086: the areas of work, one level
APPLICANT_ROLE = "Søker"  # M303 partRolle

sub = element_writer(NAMESPACE)


def build(contents: ExportContents) -> etree._Element:
    org = contents.organisation
    cases = contents.cases
    start, _end = period_bounds(contents.date_from, contents.date_to)
    last_closed = max(c.closed_at for c in cases)

    arkiv = document_root(NAMESPACE, "arkiv", SCHEMA_FILE)
    sub(arkiv, "systemID", contents.archive_id)
    sub(arkiv, "tittel", f"{org.name} – {codes.SYSTEM_NAME}")
    sub(arkiv, "beskrivelse", _("Cases of %(name)s handled in Samvirke.") % {"name": org.name})
    sub(arkiv, "arkivstatus", "Avsluttet")
    sub(arkiv, "dokumentmedium", codes.ELECTRONIC)
    first_opened = min(c.opened_at for c in cases)
    sub(arkiv, "opprettetDato", xml_datetime(min(org.created_at, first_opened)))
    sub(arkiv, "opprettetAv", codes.SYSTEM_NAME)
    sub(arkiv, "avsluttetDato", xml_datetime(last_closed))
    sub(arkiv, "avsluttetAv", codes.SYSTEM_NAME)
    creator = sub(arkiv, "arkivskaper")
    sub(creator, "arkivskaperID", contents.creator_id)
    sub(creator, "arkivskaperNavn", contents.creator_name)

    series = sub(arkiv, "arkivdel")
    sub(series, "systemID", contents.series_id)
    sub(
        series,
        "tittel",
        _("Cases closed %(start)s – %(end)s")
        % {"start": contents.date_from.isoformat(), "end": contents.date_to.isoformat()},
    )
    sub(series, "arkivdelstatus", "Avsluttet periode")
    sub(series, "dokumentmedium", codes.ELECTRONIC)
    sub(series, "opprettetDato", xml_datetime(start))
    sub(series, "opprettetAv", codes.SYSTEM_NAME)
    sub(series, "avsluttetDato", xml_datetime(last_closed))
    sub(series, "avsluttetAv", codes.SYSTEM_NAME)
    sub(series, "arkivperiodeStartDato", contents.date_from.isoformat())
    sub(series, "arkivperiodeSluttDato", contents.date_to.isoformat())

    system = sub(series, "klassifikasjonssystem")
    sub(system, "systemID", contents.classification_id)
    sub(system, "klassifikasjonstype", CLASSIFICATION_TYPE)
    sub(system, "tittel", _("Areas of work"))
    sub(system, "opprettetDato", xml_datetime(start))
    sub(system, "opprettetAv", codes.SYSTEM_NAME)
    by_area = sorted(cases, key=lambda c: (c.area.code, c.year, c.sequence))
    for _code, area_cases in groupby(by_area, key=lambda c: c.area.code):
        area_cases = list(area_cases)
        area = area_cases[0].area
        klasse = sub(system, "klasse")
        sub(klasse, "systemID", contents.class_id(area))
        sub(klasse, "klasseID", area.code)
        sub(klasse, "tittel", area.name)
        sub(klasse, "opprettetDato", xml_datetime(start))
        sub(klasse, "opprettetAv", codes.SYSTEM_NAME)
        for case in area_cases:
            _case(klasse, case, contents)
    return arkiv


def _screening(parent: etree._Element, basis: str, screened: list[str], *, whole_document=False):
    skjerming = sub(parent, "skjerming")
    sub(skjerming, "tilgangsrestriksjon", codes.access_restriction(basis))
    sub(skjerming, "skjermingshjemmel", basis)
    for name in screened:
        sub(skjerming, "skjermingMetadata", name)
    if whole_document:
        sub(skjerming, "skjermingDokument", codes.SCREENED_DOCUMENT)


def _case(parent: etree._Element, case: Case, contents: ExportContents) -> None:
    mappe = sub(parent, "mappe")
    mappe.set(f"{{{XSI}}}type", "saksmappe")
    sub(mappe, "systemID", case_id(case))
    sub(mappe, "mappeID", case.reference)
    sub(mappe, "tittel", case.title)
    if case.public_title:
        sub(mappe, "offentligTittel", case.public_title)
    sub(mappe, "dokumentmedium", codes.ELECTRONIC)
    sub(mappe, "opprettetDato", xml_datetime(case.opened_at))
    sub(mappe, "opprettetAv", contents.audit.created_by("cases.case", case.pk) or codes.SYSTEM_NAME)
    sub(mappe, "avsluttetDato", xml_datetime(case.closed_at))
    sub(mappe, "avsluttetAv", contents.audit.closed_by(case) or case_responsible(case))
    if case.applicant_name:
        part = sub(mappe, "part")
        sub(part, "partNavn", case.applicant_name)
        sub(part, "partRolle", APPLICANT_ROLE)
        if case.applicant_email:
            sub(part, "epostadresse", case.applicant_email)
    if case.screening_basis:
        _screening(mappe, case.screening_basis, ["tittel", "partNavn"])
    for entry in case.journal_entries.all():
        _entry(mappe, entry, case, contents)
    sub(mappe, "saksaar", case.year)
    sub(mappe, "sakssekvensnummer", case.sequence)
    sub(mappe, "saksdato", xml_date(case.opened_at))
    sub(mappe, "administrativEnhet", case.handling_unit.name)
    sub(mappe, "saksansvarlig", case_responsible(case))
    sub(mappe, "saksstatus", codes.CASE_CLOSED)


def _entry(parent: etree._Element, entry: JournalEntry, case: Case, contents: ExportContents):
    registered_by = person(entry.created_by)  # no user: the platform registered it
    post = sub(parent, "registrering")
    post.set(f"{{{XSI}}}type", "journalpost")
    sub(post, "systemID", entry_id(entry))
    sub(post, "opprettetDato", xml_datetime(entry.created_at))
    sub(post, "opprettetAv", registered_by)
    # documents are stored unchangeable when they are registered
    sub(post, "arkivertDato", xml_datetime(entry.created_at))
    sub(post, "arkivertAv", registered_by)
    if entry.screening_basis:
        _screening(post, entry.screening_basis, ["tittel", "korrespondansepartNavn"])
    for exported in contents.documents_of(entry):
        _document(post, exported, entry, registered_by, contents)
    sub(post, "registreringsID", entry.reference)
    sub(post, "tittel", entry.title)
    if entry.public_title:
        sub(post, "offentligTittel", entry.public_title)
    for party in entry_parties(entry, case):
        element = sub(post, "korrespondansepart")
        sub(element, "korrespondanseparttype", party.kind)
        sub(element, "korrespondansepartNavn", party.name)
    sub(post, "journalaar", entry.year)
    sub(post, "journalsekvensnummer", entry.sequence)
    sub(post, "journalpostnummer", entry.number_in_case)
    sub(post, "journalposttype", codes.ENTRY_TYPES[entry.entry_type])
    sub(post, "journalstatus", codes.ENTRY_STATUSES[entry.status])
    sub(post, "journaldato", xml_date(entry.journal_date))
    sub(post, "dokumentetsDato", xml_date(entry.document_date))
    sub(post, "antallVedlegg", attachment_count(contents, entry))


def _document(
    parent: etree._Element,
    exported: ExportedDocument,
    entry: JournalEntry,
    registered_by: str,
    contents: ExportContents,
) -> None:
    document = exported.document
    stored_by = person(document.uploaded_by, registered_by)
    description = sub(parent, "dokumentbeskrivelse")
    sub(description, "systemID", exported.system_id)
    sub(description, "dokumenttype", codes.DOCUMENT_TYPES.get(document.kind, "Vedlegg"))
    sub(description, "dokumentstatus", codes.DOCUMENT_FINISHED)
    sub(description, "tittel", document.name or f"{entry.reference} ({exported.number})")
    sub(description, "opprettetDato", xml_datetime(document.created_at))
    sub(description, "opprettetAv", stored_by)
    sub(
        description,
        "tilknyttetRegistreringSom",
        codes.MAIN_DOCUMENT if exported.number == 1 else codes.ATTACHMENT,
    )
    sub(description, "dokumentnummer", exported.number)
    sub(description, "tilknyttetDato", xml_datetime(max(document.created_at, entry.created_at)))
    sub(description, "tilknyttetAv", registered_by)
    if entry.screening_basis:
        _screening(description, entry.screening_basis, ["tittel"], whole_document=True)

    dokumentobjekt = sub(description, "dokumentobjekt")
    sub(dokumentobjekt, "systemID", exported.object_system_id)
    sub(dokumentobjekt, "versjonsnummer", 1)
    sub(dokumentobjekt, "variantformat", codes.ARCHIVE_FORMAT)
    sub(dokumentobjekt, "format", exported.puid)
    sub(dokumentobjekt, "formatDetaljer", exported.format_details)
    if exported.conversion is None:
        sub(dokumentobjekt, "opprettetDato", xml_datetime(document.created_at))
        sub(dokumentobjekt, "opprettetAv", stored_by)
    else:
        sub(dokumentobjekt, "opprettetDato", xml_datetime(contents.created_at))
        sub(dokumentobjekt, "opprettetAv", codes.SYSTEM_NAME)
    sub(dokumentobjekt, "referanseDokumentfil", exported.path)
    sub(dokumentobjekt, "sjekksum", exported.sha256)
    sub(dokumentobjekt, "sjekksumAlgoritme", codes.CHECKSUM_ALGORITHM)
    sub(dokumentobjekt, "filstoerrelse", exported.size)
    if exported.conversion is not None:
        conversion = sub(dokumentobjekt, "konvertering")
        sub(conversion, "konvertertDato", xml_datetime(contents.created_at))
        sub(conversion, "konvertertAv", codes.SYSTEM_NAME)
        sub(conversion, "konvertertFraFormat", exported.conversion.from_format)
        sub(conversion, "konvertertTilFormat", exported.puid)
        sub(conversion, "konverteringsverktoey", exported.conversion.tool)
        sub(conversion, "konverteringskommentar", exported.conversion.comment)
