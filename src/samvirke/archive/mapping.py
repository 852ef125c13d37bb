"""From the platform's records to Noark 5 metadata: the values every part of an export
(arkivstruktur, the journals, the change log) shares, so they say the same thing.

The mapping table is in docs/archive.md."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from samvirke.archive import codes
from samvirke.archive.archival_formats import Conversion
from samvirke.archive.identifiers import system_id
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases.core.selectors import workflow_of
from samvirke.cases.models import Case, Document, JournalEntry, Phase, is_private_person
from samvirke.organisations.models import Organisation

CASE = "cases.case"
ENTRY = "cases.journalentry"
DOCUMENT = "cases.document"
DOCUMENT_DIR = "dokumenter"


def xml_datetime(value: datetime.datetime) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def xml_date(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


class AuditTrail:
    """The audit log's events about the exported cases, entries and documents."""

    def __init__(self, events: list[AuditEvent]):
        self.events = events
        self._by_object: dict[tuple[str, str], list[AuditEvent]] = defaultdict(list)
        for event in events:
            self._by_object[(event.object_type, event.object_id)].append(event)

    def of(self, object_type: str, pk: int) -> list[AuditEvent]:
        return self._by_object.get((object_type, str(pk)), [])

    def created_by(self, object_type: str, pk: int) -> str | None:
        for event in self.of(object_type, pk):
            if event.action == AuditAction.CREATE and event.actor_label:
                return event.actor_label
        return None

    def closed_by(self, case: Case) -> str | None:
        """Who moved the case into its closed status (the last time), if the log says."""
        workflow = workflow_of(case.case_type)
        closer = None
        for event in self.of(CASE, case.pk):
            status = (event.changes or {}).get("status")
            if (
                event.action == AuditAction.UPDATE
                and isinstance(status, list)
                and len(status) == 2
                and status[1] in workflow.statuses
                and workflow.phase(status[1]) == Phase.CLOSED
            ):
                closer = event.actor_label or codes.SYSTEM_NAME
        return closer


@dataclass(frozen=True)
class Party:
    """A korrespondansepart: its Noark type and name."""

    kind: str
    name: str
    # a private person, whose name the public journal withholds where the case type or
    # the entry says so (cases/models/privacy.py); organisations and units are not
    private: bool = True


@dataclass(frozen=True)
class ExportedDocument:
    """A document as it went into the export: its PDF/A file's format and checksum."""

    document: Document
    number: int  # dokumentnummer within the journal entry
    puid: str  # format (M701), a PRONOM identifier
    format_details: str  # formatDetaljer, "PDF/A-2b"
    sha256: str
    size: int
    conversion: Conversion | None

    @property
    def system_id(self) -> str:
        return system_id("dokumentbeskrivelse", self.document.pk)

    @property
    def object_system_id(self) -> str:
        return system_id("dokumentobjekt", self.document.pk, 1)

    @property
    def path(self) -> str:
        """referanseDokumentfil: the file's path in the export."""
        return document_path(self.document)


def document_path(document: Document) -> str:
    return f"{DOCUMENT_DIR}/{document.pk}.pdf"


@dataclass
class ExportContents:
    """Everything one export holds, read once and shared by the files' builders."""

    organisation: Organisation
    date_from: datetime.date
    date_to: datetime.date
    cases: list[Case]
    documents: dict[int, ExportedDocument]
    audit: AuditTrail
    created_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def entries(self) -> list[JournalEntry]:
        """The journal entries, in journal order (year, sequence number)."""
        entries = [e for case in self.cases for e in case.journal_entries.all()]
        return sorted(entries, key=lambda e: (e.year, e.sequence))

    def documents_of(self, entry: JournalEntry) -> list[ExportedDocument]:
        return [self.documents[d.pk] for d in entry.documents.all()]

    # identities
    @property
    def archive_id(self) -> str:
        return system_id("arkiv", self.organisation.pk)

    @property
    def series_id(self) -> str:
        """The arkivdel: one per municipality and period."""
        return system_id("arkivdel", self.organisation.pk, self.date_from, self.date_to)

    @property
    def classification_id(self) -> str:
        return system_id("klassifikasjonssystem", self.organisation.pk, "fagomraade")

    def class_id(self, area) -> str:
        return system_id("klasse", self.organisation.pk, area.pk)

    # who made the archive: the municipality
    @property
    def creator_id(self) -> str:
        """arkivskaperID: the organisation number, else the municipality number."""
        org = self.organisation
        return org.organisation_number or f"kommunenummer {org.number}"

    @property
    def creator_name(self) -> str:
        return self.organisation.name


def case_id(case: Case) -> str:
    return system_id("mappe", case.pk)


def entry_id(entry: JournalEntry) -> str:
    return system_id("registrering", entry.pk)


def person(user, fallback: str = codes.SYSTEM_NAME) -> str:
    return (str(user) if user is not None else "") or fallback


def case_responsible(case: Case) -> str:
    """saksansvarlig: the case handler; a case nobody took is the handling unit's."""
    return person(case.assignee, case.handling_unit.name)


def entry_handler(entry: JournalEntry, case: Case) -> str:
    """saksbehandler of a journal entry: who registered it, else the case handler."""
    return person(entry.created_by, case_responsible(case))


def entry_parties(entry: JournalEntry, case: Case) -> list[Party]:
    """The entry's correspondence parties. The journals require at least one; an entry
    registered without parties gets the applicant as sender (incoming) or recipient
    (outgoing), else the handling unit on the municipality's side."""
    parties = [
        Party(
            codes.party_type(str(p.get("role", "")), entry.entry_type),
            str(p["name"]).strip(),
            private=is_private_person(p),
        )
        for p in entry.parties or []
        if isinstance(p, dict) and str(p.get("name") or "").strip()
    ]
    if parties:
        return parties
    if case.applicant_name and entry.entry_type in ("I", "U"):
        role = "sender" if entry.entry_type == "I" else "recipient"
        return [Party(codes.party_type(role, entry.entry_type), case.applicant_name)]
    role = "recipient" if entry.entry_type == "I" else "sender"
    unit = case.handling_unit.name
    return [Party(codes.party_type(role, entry.entry_type), unit, private=False)]


def public_title(record: Case | JournalEntry) -> str:
    """offentligTittel: the public title; a screened record without one shows none."""
    if record.public_title:
        return record.public_title
    return codes.SCREENED_NAME if record.screening_basis else record.title


def public_journal_title(record: Case | JournalEntry) -> str:
    """The title in the public journal report (offentligJournal.xml): as the online
    public journal shows it, without withheld names of private persons
    (cases/models/privacy.py), else the public title."""
    return record.online_title or public_title(record)


def attachment_count(contents: ExportContents, entry: JournalEntry) -> int:
    return max(len(contents.documents_of(entry)) - 1, 0)
