"""Reading a case's journal (journal entries in case order) for the pages that show it: the
case page and the screening pages. The caller has already reached the case through a
scoped selector (`handling.selectors.case_for_handling`), so these read within it."""

from __future__ import annotations

from samvirke.cases.models import Case, JournalEntry


def case_journal(case: Case) -> list[JournalEntry]:
    """The case's journal entries, in the order they were journalled."""
    return list(case.journal_entries.order_by("number_in_case"))


def case_journal_entry_get(*, case: Case, entry_id: int) -> JournalEntry:
    """One journal entry of the case, with `entry.case` set to `case`. An entry of another
    case raises `JournalEntry.DoesNotExist`, like one that does not exist."""
    entry = case.journal_entries.get(pk=entry_id)
    entry.case = case
    return entry


def screened_entry_count(case: Case) -> int:
    """How many of the case's journal entries are screened."""
    return case.journal_entries.exclude(screening_basis="").count()
