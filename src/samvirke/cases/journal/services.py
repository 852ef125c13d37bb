"""The journal (journalføring): every submission, message, attachment and letter becomes
a journal entry in the owning municipality's journal, with a Noark type (I, U, N, X), its
parties and documents, and screening with a legal basis where the law requires it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases.core.numbering import JOURNAL, number_next
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.journal.titles import screen_title
from samvirke.cases.models import (
    Case,
    CaseType,
    Document,
    EntryStatus,
    EntryType,
    JournalEntry,
    OnlineNames,
)


def journal_entry_create(
    *,
    case: Case,
    entry_type: str,
    title: str,
    protected: list[str] | tuple[str, ...] = (),
    screening_basis: str | None = None,
    parties: list[dict] | None = None,
    documents: list[Document] = (),  # type: ignore[assignment]
    document_date=None,
    status: str = EntryStatus.REGISTERED,
    actor=None,
) -> JournalEntry:
    """Registers a journal entry in the case's owning municipality's journal and attaches
    the documents to it. Call inside the transaction of the change it records.

    `screening_basis` defaults to the case's; with screening, `protected` words (names,
    addresses) are hidden in the public title and the parties are hidden in the public
    journal."""
    if entry_type not in EntryType.values:
        raise ValueError(f"unknown journal entry type {entry_type!r}")
    basis = case.screening_basis if screening_basis is None else screening_basis
    today = timezone.localdate()
    number_in_case = (case.journal_entries.aggregate(n=Max("number_in_case"))["n"] or 0) + 1
    entry = JournalEntry.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        year=today.year,
        sequence=number_next(organisation_id=case.organisation_id, series=JOURNAL, year=today.year),
        number_in_case=number_in_case,
        entry_type=entry_type,
        status=status,
        title=title[:500],
        public_title=(screen_title(title, protected) if basis else title)[:500],
        screening_basis=basis,
        parties=parties or [],
        document_date=document_date or today,
        journal_date=today,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    for document in documents:
        document.journal_entry = entry
        document.case = case
        document.save(update_fields=["journal_entry", "case"])
    audit_record(
        action=AuditAction.CREATE,
        obj=entry,
        actor=actor,
        details={"case": case.reference, "type": entry_type, "documents": len(documents)},
    )
    return entry


def case_type_online_names_set(*, case_type: CaseType, online_names: str, actor=None) -> int:
    """Whether the online public journal shows the names of private persons in the case
    type's cases (`OnlineNames.SHOWN`) or withholds them (`OnlineNames.WITHHELD`, the
    default; see `models/privacy.py`). Recomputes the online titles of the type's cases
    and journal entries and writes an audit event; returns how many records changed."""
    if online_names not in OnlineNames.values:
        raise ValidationError(
            _("Choose whether names of private persons are shown or withheld online."),
            code=CasesErrorCode.ONLINE_NAMES_UNKNOWN,
        )
    changed = 0
    with transaction.atomic():
        case_type = CaseType.objects.select_for_update().get(pk=case_type.pk)
        before = case_type.online_names
        if before == online_names:
            return 0
        case_type.online_names = online_names
        case_type.save(update_fields=["online_names"])
        for case in Case.objects.filter(case_type=case_type).select_related("case_type"):
            case.case_type = case_type
            title = case.online_title_compute()[:500]
            if title != case.online_title:
                Case.objects.filter(pk=case.pk).update(online_title=title)
                changed += 1
        entries = JournalEntry.objects.filter(case__case_type=case_type).select_related("case")
        for entry in entries:
            entry.case.case_type = case_type
            title = entry.online_title_compute()[:500]
            if title != entry.online_title:
                JournalEntry.objects.filter(pk=entry.pk).update(online_title=title)
                changed += 1
        audit_record(
            action=AuditAction.UPDATE,
            obj=case_type,
            actor=actor,
            changes={"online_names": [before, online_names]},
            details={"records_changed": changed},
        )
    return changed
