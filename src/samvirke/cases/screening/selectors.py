"""What screening hides whatever the handler adds: the words a screened case or journal
entry always keeps out of its public title (see `screening.services` for the rules). The
screening page shows them, and the services hide them."""

from __future__ import annotations

from collections.abc import Iterable

from samvirke.cases.handling.selectors import applicant_display_name
from samvirke.cases.journal.titles import hidden_words, protected_words
from samvirke.cases.models import Case, JournalEntry


def unique_words(words: Iterable[str]) -> list[str]:
    """The words stripped, without blanks and without repeats that differ only in case."""
    seen: dict[str, str] = {}
    for word in words:
        word = (word or "").strip()
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return list(seen.values())


def case_protected_words(case: Case) -> list[str]:
    """The words a screened case hides whatever the handler adds: those its public title
    hides already and the applicant's name."""
    return unique_words(
        [*hidden_words(case.title, case.public_title), applicant_display_name(case)]
    )


def entry_protected_words(entry: JournalEntry) -> list[str]:
    """The words a screened entry hides whatever the handler adds (see
    `screening.services`). `entry.case` must be the entry's case as it is now."""
    own = hidden_words(entry.title, entry.public_title) if entry.is_screened else []
    persons = [
        party.get("name", "")
        for party in entry.parties or []
        if isinstance(party, dict) and party.get("kind") == "person"
    ]
    return unique_words(
        [*own, *protected_words(entry.case), applicant_display_name(entry.case), *persons]
    )
