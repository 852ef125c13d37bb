"""loependeJournal.xml and offentligJournal.xml: the journal reports of an export.

Both list the same journal entries as arkivstruktur.xml (those of the exported cases), in
journal order. The running journal (løpende journal) has the full titles and every
party; the public journal (offentlig journal) has the public titles and, for a screened
entry, hides its parties' names (offentleglova); where names of private persons are
withheld online (the case type's or the entry's choice, cases/models/privacy.py), it
shows the titles without them and ***** for those parties, as the online journal does.
The header's `seleksjon` says how the entries were chosen, since a case closed in the
period may have entries journalled before it.

One writer serves both: the two schemas share the structure of a journalregistrering
and differ only in titles, screening and a few elements of their own, which is where
`public` decides."""

from __future__ import annotations

from collections.abc import Callable

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
    public_journal_title,
    xml_date,
)
from samvirke.archive.xmltree import document_root, element_writer
from samvirke.cases.models import Case, JournalEntry

RUNNING = "http://www.arkivverket.no/standarder/noark5/loependeJournal"
PUBLIC = "http://www.arkivverket.no/standarder/noark5/offentligJournal"

Sub = Callable[..., etree._Element]


def build(contents: ExportContents, *, public: bool) -> etree._Element:
    """offentligJournal.xml if `public`, else loependeJournal.xml."""
    namespace, name = (PUBLIC, "offentligJournal") if public else (RUNNING, "loependeJournal")
    sub = element_writer(namespace)
    root = document_root(namespace, name, f"{name}.xsd")
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
        _titles(sub, folder, case, public=public)
        sub(folder, "administrativEnhet", case.handling_unit.name)
        sub(folder, "saksansvarlig", case_responsible(case))
        if public:
            _screening(sub, folder, case.screening_basis)
        else:
            sub(folder, "referanseArkivdel", contents.series_id)

        post = sub(registration, "journalpost")
        sub(post, "systemID", entry_id(entry))
        sub(post, "registreringsID", entry.reference)
        sub(post, "journalaar", entry.year)
        sub(post, "journalsekvensnummer", entry.sequence)
        sub(post, "journalpostnummer", entry.number_in_case)
        _titles(sub, post, entry, public=public)
        sub(post, "journaldato", xml_date(entry.journal_date))
        sub(post, "dokumentetsDato", xml_date(entry.document_date))
        if not public:
            sub(post, "antallVedlegg", attachment_count(contents, entry))
        sub(post, "administrativEnhet", case.handling_unit.name)
        sub(post, "saksbehandler", entry_handler(entry, case))
        _screening(sub, post, entry.screening_basis)
        for party in entry_parties(entry, case):
            element = sub(post, "korrespondansepart")
            sub(element, "korrespondanseparttype", party.kind)
            if public:
                hidden = entry.screening_basis or (party.private and entry.names_withheld_online)
                sub(
                    element, "korrespondansepartNavn", codes.SCREENED_NAME if hidden else party.name
                )
            else:
                sub(element, "korrespondansepartNavn", party.name)
                if entry.screening_basis:
                    sub(element, "skjermingMetadata", "korrespondansepartNavn")
    return root


def _header(sub: Sub, root: etree._Element, contents: ExportContents, count: int) -> None:
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


def _titles(sub: Sub, parent: etree._Element, record: Case | JournalEntry, *, public: bool):
    """The public journal has only the public title; the running one has the full title,
    the public title where there is one, and says that the title is screened."""
    if public:
        sub(parent, "offentligTittel", public_journal_title(record))
        return
    sub(parent, "tittel", record.title)
    if record.public_title:
        sub(parent, "offentligTittel", record.public_title)
    if record.screening_basis:
        sub(parent, "skjermingMetadata", "tittel")


def _screening(sub: Sub, parent: etree._Element, basis: str) -> None:
    if basis:
        sub(parent, "tilgangsrestriksjon", codes.access_restriction(basis))
        sub(parent, "skjermingshjemmel", basis)
