"""loependeJournal.xml and offentligJournal.xml: the journal reports of an export.

Both list the same journal entries as arkivstruktur.xml (those of the exported cases), in
journal order. The running journal (løpende journal) has the full titles and every
party; the public journal (offentlig journal) has the public titles and, for a screened
entry, hides its parties' names (offentleglova). The header's `seleksjon` says how the
entries were chosen, since a case closed in the period may have entries journalled
before it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from lxml import etree

from samvirke.archive import codes
from samvirke.archive.mapping import (
    ExportContents,
    attachment_count,
    case_responsible,
    entry_handler,
    entry_id,
    entry_parties,
    public_title,
    xml_date,
)
from samvirke.archive.xmltree import document_root, element_writer

RUNNING = "http://www.arkivverket.no/standarder/noark5/loependeJournal"
PUBLIC = "http://www.arkivverket.no/standarder/noark5/offentligJournal"


def _header(sub, root, contents: ExportContents, count: int) -> None:
    header = sub(root, "journalhode")
    sub(header, "journalStartDato", contents.date_from.isoformat())
    sub(header, "journalSluttDato", contents.date_to.isoformat())
    sub(
        header,
        "seleksjon",
        _("Journal entries of the cases closed %(start)s – %(end)s")
        % {"start": contents.date_from.isoformat(), "end": contents.date_to.isoformat()},
    )
    sub(header, "antallJournalposter", count)
    creator = sub(header, "arkivskaper")
    sub(creator, "arkivskaperID", contents.creator_id)
    sub(creator, "arkivskaperNavn", contents.creator_name)


def build_running(contents: ExportContents) -> etree._Element:
    sub = element_writer(RUNNING)
    root = document_root(RUNNING, "loependeJournal", "loependeJournal.xsd")
    entries = contents.entries
    _header(sub, root, contents, len(entries))
    for entry in entries:
        case = entry.case
        registration = sub(root, "journalregistrering")
        klasse = sub(registration, "klasse")
        sub(klasse, "klasseID", case.area.code)
        sub(klasse, "tittel", case.area.name)
        folder = sub(registration, "saksmappe")
        sub(folder, "mappeID", case.reference)
        sub(folder, "saksaar", case.year)
        sub(folder, "sakssekvensnummer", case.sequence)
        sub(folder, "tittel", case.title)
        if case.public_title:
            sub(folder, "offentligTittel", case.public_title)
        if case.screening_basis:
            sub(folder, "skjermingMetadata", "tittel")
        sub(folder, "administrativEnhet", case.handling_unit.name)
        sub(folder, "saksansvarlig", case_responsible(case))
        sub(folder, "referanseArkivdel", contents.series_id)

        post = sub(registration, "journalpost")
        sub(post, "systemID", entry_id(entry))
        sub(post, "registreringsID", entry.reference)
        sub(post, "journalaar", entry.year)
        sub(post, "journalsekvensnummer", entry.sequence)
        sub(post, "journalpostnummer", entry.number_in_case)
        sub(post, "tittel", entry.title)
        if entry.public_title:
            sub(post, "offentligTittel", entry.public_title)
        if entry.screening_basis:
            sub(post, "skjermingMetadata", "tittel")
        sub(post, "journaldato", xml_date(entry.journal_date))
        sub(post, "dokumentetsDato", xml_date(entry.document_date))
        sub(post, "antallVedlegg", attachment_count(contents, entry))
        sub(post, "administrativEnhet", case.handling_unit.name)
        sub(post, "saksbehandler", entry_handler(entry, case))
        if entry.screening_basis:
            sub(post, "tilgangsrestriksjon", codes.access_restriction(entry.screening_basis))
            sub(post, "skjermingshjemmel", entry.screening_basis)
        for party in entry_parties(entry, case):
            element = sub(post, "korrespondansepart")
            sub(element, "korrespondanseparttype", party.kind)
            sub(element, "korrespondansepartNavn", party.name)
            if entry.screening_basis:
                sub(element, "skjermingMetadata", "korrespondansepartNavn")
    return root


def build_public(contents: ExportContents) -> etree._Element:
    sub = element_writer(PUBLIC)
    root = document_root(PUBLIC, "offentligJournal", "offentligJournal.xsd")
    entries = contents.entries
    _header(sub, root, contents, len(entries))
    for entry in entries:
        case = entry.case
        registration = sub(root, "journalregistrering")
        klasse = sub(registration, "klasse")
        sub(klasse, "klasseID", case.area.code)
        sub(klasse, "tittel", case.area.name)
        folder = sub(registration, "saksmappe")
        sub(folder, "mappeID", case.reference)
        sub(folder, "saksaar", case.year)
        sub(folder, "sakssekvensnummer", case.sequence)
        sub(folder, "offentligTittel", public_title(case))
        sub(folder, "administrativEnhet", case.handling_unit.name)
        sub(folder, "saksansvarlig", case_responsible(case))
        if case.screening_basis:
            sub(folder, "tilgangsrestriksjon", codes.access_restriction(case.screening_basis))
            sub(folder, "skjermingshjemmel", case.screening_basis)

        post = sub(registration, "journalpost")
        sub(post, "systemID", entry_id(entry))
        sub(post, "registreringsID", entry.reference)
        sub(post, "journalaar", entry.year)
        sub(post, "journalsekvensnummer", entry.sequence)
        sub(post, "journalpostnummer", entry.number_in_case)
        sub(post, "offentligTittel", public_title(entry))
        sub(post, "journaldato", xml_date(entry.journal_date))
        sub(post, "dokumentetsDato", xml_date(entry.document_date))
        sub(post, "administrativEnhet", case.handling_unit.name)
        sub(post, "saksbehandler", entry_handler(entry, case))
        if entry.screening_basis:
            sub(post, "tilgangsrestriksjon", codes.access_restriction(entry.screening_basis))
            sub(post, "skjermingshjemmel", entry.screening_basis)
        for party in entry_parties(entry, case):
            element = sub(post, "korrespondansepart")
            sub(element, "korrespondanseparttype", party.kind)
            sub(
                element,
                "korrespondansepartNavn",
                codes.SCREENED_NAME if entry.screening_basis else party.name,
            )
    return root
