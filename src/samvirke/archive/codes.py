"""Noark 5 code values as they go into an export.

Noark 5 exports no code keys: journalposttype goes out as «Inngående dokument», not «I»
(metadatakatalog, vedlegg 2). The values below are the standard's own words for the
platform's codes; where the standard's list is open (dokumenttype), the platform's kinds
get a plain Norwegian word."""

from __future__ import annotations

import re

from samvirke.cases.models import DocumentKind, EntryStatus, EntryType, Phase

SYSTEM_NAME = "Samvirke"
SYSTEM_TYPE = "Sakarkiv (Noark 5)"
NOARK_VERSION = "5.0"

# M082 journalposttype
ENTRY_TYPES = {
    EntryType.INCOMING: "Inngående dokument",
    EntryType.OUTGOING: "Utgående dokument",
    EntryType.NOTE_FOLLOW_UP: "Organinternt dokument for oppfølging",
    EntryType.NOTE: "Organinternt dokument uten oppfølging",
}

# M053 journalstatus
ENTRY_STATUSES = {
    EntryStatus.REGISTERED: "Journalført",
    EntryStatus.DISPATCHED: "Ekspedert",
    EntryStatus.FINALISED: "Ferdigstilt fra saksbehandler",
    EntryStatus.ARCHIVED: "Arkivert",
}

# M052 saksstatus: the platform's workflows have their own statuses; what counts for the
# archive is whether the case is closed.
CASE_CLOSED = "Avsluttet"
CASE_IN_PROGRESS = "Under behandling"


def case_status(phase: str) -> str:
    return CASE_CLOSED if phase == Phase.CLOSED else CASE_IN_PROGRESS


# M083 dokumenttype (an open list in the standard)
DOCUMENT_TYPES = {
    DocumentKind.LETTER: "Brev",
    DocumentKind.NOTICE: "Brev",
    DocumentKind.SUBMISSION: "Skjema",
    DocumentKind.RECEIPT: "Kvittering",
    DocumentKind.ATTACHMENT: "Vedlegg",
}
DOCUMENT_FINISHED = "Dokumentet er ferdigstilt"  # M054 dokumentstatus
MAIN_DOCUMENT = "Hoveddokument"  # M217 tilknyttetRegistreringSom
ATTACHMENT = "Vedlegg"
ARCHIVE_FORMAT = "Arkivformat"  # M700 variantformat
CHECKSUM_ALGORITHM = "SHA256"  # M706 sjekksumAlgoritme, and ADDML's checksum algorithm
ELECTRONIC = "Elektronisk arkiv"  # M300 dokumentmedium

# M087 korrespondanseparttype; internal notes (N, X) have internal parties
_PARTY_ROLES = {"sender": "Avsender", "recipient": "Mottaker", "copy": "Kopimottaker"}
_INTERNAL_PARTY_ROLES = {
    "sender": "Intern avsender",
    "recipient": "Intern mottaker",
    "copy": "Intern kopimottaker",
}


def party_type(role: str, entry_type: str) -> str:
    internal = entry_type in (EntryType.NOTE, EntryType.NOTE_FOLLOW_UP)
    roles = _INTERNAL_PARTY_ROLES if internal else _PARTY_ROLES
    return roles.get(
        role, roles["recipient"] if entry_type == EntryType.OUTGOING else roles["sender"]
    )


# M500 tilgangsrestriksjon: by custom the paragraph of the Freedom of Information Act
# (offentleglova) the screening rests on, e.g. "13" for «Offl. § 13, jf. fvl. § 13 …».
_PARAGRAPH = re.compile(r"offl\w*\.?\s*§\s*(\d+\s*[a-z]?)", re.IGNORECASE)
SCREENED_OTHERWISE = "Unntatt offentlighet"


def access_restriction(screening_basis: str) -> str:
    match = _PARAGRAPH.search(screening_basis)
    return match.group(1).replace(" ", "") if match else SCREENED_OTHERWISE


SCREENED_DOCUMENT = "Hele dokumentet"  # M503 skjermingDokument
SCREENED_NAME = "*****"  # what the public journal shows for a screened party

# PRONOM identifiers (M701 format) of the PDF/A parts and conformance levels
PDFA_PUIDS = {
    "1a": "fmt/95",
    "1b": "fmt/354",
    "2a": "fmt/476",
    "2b": "fmt/477",
    "2u": "fmt/478",
    "3a": "fmt/479",
    "3b": "fmt/480",
    "3u": "fmt/481",
}
