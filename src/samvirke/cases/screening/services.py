"""Screening (skjerming) decided by the case handler, per journal entry and per case.

A service offering may screen every case of its service from the start (its
`screening_basis` is copied to the case and to each journal entry). Beyond that the
handler decides, as Noark practice has it: a journal entry, or a whole case, is screened
with a legal basis (skjermingshjemmel) from the code list in `screening.bases`, or the
screening is lifted.

Screening an entry sets its basis and recomputes its public title (offentligTittel) from
its title, hiding

- the words its public title hides already (changing the basis never reveals a word),
- the case's protected words (those its public title hides) and the applicant's name,
- the names of the entry's parties who are persons, since the public journal hides the
  parties of a screened entry and its title must not name them instead,
- and any other words the handler gives (an address, a third person's name).

Screening the case does the same to the case's title and to every journal entry of the
case: an entry that is not screened gets the case's basis, one that is keeps its own
basis; both hide the case's words, since every entry's title carries the case's title.
Entries journalled later take the case's basis (`journal_entry_create`).

Lifting the screening of an entry shows its whole title and its parties. Lifting the
screening of the case lifts only the case's: its entries stay screened until each is
lifted, because publishing a document is decided document by document.

Each service checks that the actor may handle the case (`require_case_handler`), runs in
one transaction, writes an audit event per changed record (the archive export's change
log, endringslogg, reads them) and an internal event on the case's timeline."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases.core.services import require_case_handler
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.journal.titles import screen_title
from samvirke.cases.models import Case, CaseEvent, JournalEntry, OnlineNames
from samvirke.cases.screening.bases import screening_basis_get
from samvirke.cases.screening.selectors import (
    case_protected_words,
    entry_protected_words,
    unique_words,
)

MAX_WORDS = 20
MIN_WORD_LENGTH = 2
MAX_WORD_LENGTH = 200


# ---------------------------------------------------------------- checks


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _basis(code: str) -> str:
    if not (code or "").strip():
        raise _field_error(
            "basis", _("Choose the legal basis for the screening."), CasesErrorCode.BASIS_MISSING
        )
    basis = screening_basis_get(code)
    if basis is None:
        raise _field_error(
            "basis",
            _("“%(basis)s” is not a legal basis in the list.") % {"basis": code},
            CasesErrorCode.BASIS_UNKNOWN,
        )
    return basis.code


def _extra_words(words: Iterable[str], titles: list[str]) -> list[str]:
    """The handler's words, each of which must be in one of the titles (a misspelt name
    would otherwise stay visible while the handler believes it hidden)."""
    words = unique_words(words)
    if len(words) > MAX_WORDS:
        raise _field_error(
            "extra_words",
            _("At most %(n)s words.") % {"n": MAX_WORDS},
            CasesErrorCode.TOO_MANY_WORDS,
        )
    for word in words:
        if len(word) < MIN_WORD_LENGTH or len(word) > MAX_WORD_LENGTH:
            raise _field_error(
                "extra_words",
                _("“%(word)s” cannot be hidden: give between %(min)s and %(max)s characters.")
                % {"word": word[:40], "min": MIN_WORD_LENGTH, "max": MAX_WORD_LENGTH},
                CasesErrorCode.WORD_LENGTH,
            )
        if not any(word.casefold() in title.casefold() for title in titles):
            raise _field_error(
                "extra_words",
                _("“%(word)s” is not in the title. Check the spelling.") % {"word": word},
                CasesErrorCode.WORD_NOT_IN_TITLE,
            )
    return words


# ---------------------------------------------------------------- writes


def _event(case: Case, kind: str, actor, data: dict) -> None:
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data,
        visible_to_applicant=False,
    )


def _changes(record: Case | JournalEntry, basis: str, public_title: str) -> dict:
    """The screening fields that change, as [before, after] for the audit log."""
    changes = {}
    if record.screening_basis != basis:
        changes["screening_basis"] = [record.screening_basis, basis]
    if record.public_title != public_title:
        changes["public_title"] = [record.public_title, public_title]
    return changes


def _entry_set(entry: JournalEntry, basis: str, public_title: str, actor, **details) -> bool:
    """Saves the entry's screening with its audit event; False when nothing changed."""
    changes = _changes(entry, basis, public_title[:500])
    if not changes:
        return False
    entry.screening_basis, entry.public_title = basis, public_title[:500]
    entry.save(update_fields=["screening_basis", "public_title"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=entry,
        object_label=entry.reference,
        actor=actor,
        acting_for=entry.case.handling_organisation,
        changes=changes,
        details={"case": entry.case.reference, **details},
    )
    return True


def _case_set(case: Case, basis: str, public_title: str, actor, **details) -> bool:
    """Saves the case's screening with its audit event; False when nothing changed."""
    changes = _changes(case, basis, public_title[:500])
    if not changes:
        return False
    case.screening_basis, case.public_title = basis, public_title[:500]
    case.save(update_fields=["screening_basis", "public_title", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=case,
        object_label=case.reference,
        actor=actor,
        acting_for=case.handling_organisation,
        changes=changes,
        details=details,
    )
    return True


def _locked_entry(entry: JournalEntry) -> JournalEntry:
    return (
        JournalEntry.objects.select_for_update(of=("self",))
        .select_related("case__applicant", "case__handling_organisation")
        .get(pk=entry.pk)
    )


def _locked_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("applicant", "handling_organisation")
        .get(pk=case.pk)
    )


def journal_entry_screen(
    *, entry: JournalEntry, basis: str, extra_words: Iterable[str] = (), actor
) -> JournalEntry:
    """Screens a journal entry with a legal basis from the code list (or changes the
    basis of a screened one), hiding the protected words and `extra_words` in its public
    title."""
    require_case_handler(actor, entry.case)
    basis = _basis(basis)
    with transaction.atomic():
        entry = _locked_entry(entry)
        words = _extra_words(extra_words, [entry.title])
        public_title = screen_title(entry.title, [*entry_protected_words(entry), *words])
        if _entry_set(entry, basis, public_title, actor, extra_words=len(words)):
            _event(entry.case, "entry_screened", actor, {"entry": entry.reference, "basis": basis})
    return entry


def journal_entry_unscreen(*, entry: JournalEntry, actor) -> JournalEntry:
    """Lifts the screening of a journal entry: the public journal shows its whole title
    and its parties."""
    require_case_handler(actor, entry.case)
    with transaction.atomic():
        entry = _locked_entry(entry)
        if _entry_set(entry, "", entry.title, actor):
            _event(entry.case, "entry_unscreened", actor, {"entry": entry.reference})
    return entry


def case_screen(*, case: Case, basis: str, extra_words: Iterable[str] = (), actor) -> Case:
    """Screens the case and its journal entries (see the module's docstring)."""
    require_case_handler(actor, case)
    basis = _basis(basis)
    with transaction.atomic():
        case = _locked_case(case)
        entries = list(
            case.journal_entries.select_for_update(of=("self",)).order_by("number_in_case")
        )
        words = _extra_words(extra_words, [case.title, *(e.title for e in entries)])
        public_title = screen_title(case.title, [*case_protected_words(case), *words])
        changed_case = _case_set(case, basis, public_title, actor, extra_words=len(words))
        changed_entries = []
        for entry in entries:
            entry.case = case  # screened now: its protected words count for the entry
            public_title = screen_title(entry.title, [*entry_protected_words(entry), *words])
            entry_basis = entry.screening_basis or basis
            if _entry_set(entry, entry_basis, public_title, actor, with_case=True):
                changed_entries.append(entry.reference)
        if changed_case or changed_entries:
            _event(case, "case_screened", actor, {"basis": basis, "entries": changed_entries})
    return case


def case_unscreen(*, case: Case, actor) -> Case:
    """Lifts the screening of the case (its title in the public journal); its journal
    entries stay as they are."""
    require_case_handler(actor, case)
    with transaction.atomic():
        case = _locked_case(case)
        if _case_set(case, "", case.title, actor):
            _event(case, "case_unscreened", actor, {})
    return case


def screening_page_read(*, case: Case, entry: JournalEntry | None, actor) -> None:
    """A handler opening the screening page of the case or of one of its journal entries
    reads what may be screened personal data: audited."""
    audit_record(
        action=AuditAction.READ,
        obj=case,
        object_label=case.reference,
        actor=actor,
        acting_for=case.handling_organisation,
        details={
            "purpose": "case handling",
            "view": "screening page",
            "journal_entry": entry.reference if entry is not None else None,
        },
    )


# ---------------------------------------------------------------- names online


def journal_entry_online_names_set(*, entry: JournalEntry, online_names: str, actor) -> bool:
    """The handler's choice for one journal entry: the names of private persons in the
    online journal shown (`OnlineNames.SHOWN`), withheld (`OnlineNames.WITHHELD`), or as
    the case type says (""). Recomputes the entry's online title and writes an audit
    event with the change; False when nothing changed. Screening still wins: a screened
    entry shows no parties whatever this says."""
    require_case_handler(actor, entry.case)
    if online_names not in ("", *OnlineNames.values):
        raise _field_error(
            "online_names",
            _("Choose whether names of private persons are shown or withheld online."),
            CasesErrorCode.ONLINE_NAMES_UNKNOWN,
        )
    with transaction.atomic():
        entry = _locked_entry(entry)
        if entry.online_names == online_names:
            return False
        before = entry.online_names
        entry.online_names = online_names
        entry.save(update_fields=["online_names"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=entry,
            object_label=entry.reference,
            actor=actor,
            acting_for=entry.case.handling_organisation,
            changes={"online_names": [before, online_names]},
            details={
                "case": entry.case.reference,
                "names_withheld_online": entry.names_withheld_online,
            },
        )
        _event(
            entry.case,
            "entry_online_names",
            actor,
            {"entry": entry.reference, "online_names": online_names or "case_type"},
        )
    return True
