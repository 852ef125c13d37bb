"""The service square's records: e-services switched on per municipality, routing rules,
drafts and submissions, cases with their workflow as data, the journal and its documents.

Words (see ../shared/docs/domain.md): a *case* is a sak (saksmappe in Noark 5), a *journal
entry* a journalpost with type I (incoming), U (outgoing), N (internal note with follow-up)
or X (internal note without follow-up), a *document* a dokument. The owning municipality
(`organisation`) is the one whose citizen applied and whose journal and archive the case
belongs to; the handling organisation and unit may be another municipality's, when a
cooperation arrangement makes it the host (vertskommune).

The models live in modules by subject; this package re-exports every model and choice, so
`from samvirke.cases.models import Case` is the one way to import them. The initial migration
refers to `samvirke.cases.models.document_upload_to`, which is why that function is
re-exported here too."""

from samvirke.cases.models.cases import (
    Case,
    CaseEvent,
    CaseMessage,
    CaseNote,
    Decision,
    EmergencyAccess,
    MessageDirection,
    Outcome,
    Phase,
)
from samvirke.cases.models.documents import Document, DocumentKind, ScanStatus, document_upload_to
from samvirke.cases.models.journal import EntryStatus, EntryType, JournalEntry, NumberSeries
from samvirke.cases.models.offerings import CaseType, RoutingRule, ServiceOffering, translated_text
from samvirke.cases.models.privacy import (
    WITHHELD_MARK,
    OnlineNames,
    is_private_person,
    private_party_names,
    withhold_names,
    words_hide,
)
from samvirke.cases.models.submissions import (
    Draft,
    Submission,
    SubmissionState,
    draft_retention_days,
    session_hash,
)

__all__ = [
    "Case",
    "CaseEvent",
    "CaseMessage",
    "CaseNote",
    "CaseType",
    "Decision",
    "Document",
    "DocumentKind",
    "Draft",
    "EmergencyAccess",
    "EntryStatus",
    "EntryType",
    "JournalEntry",
    "MessageDirection",
    "NumberSeries",
    "OnlineNames",
    "Outcome",
    "Phase",
    "RoutingRule",
    "ScanStatus",
    "ServiceOffering",
    "Submission",
    "SubmissionState",
    "WITHHELD_MARK",
    "document_upload_to",
    "is_private_person",
    "private_party_names",
    "words_hide",
    "draft_retention_days",
    "session_hash",
    "translated_text",
    "withhold_names",
]
