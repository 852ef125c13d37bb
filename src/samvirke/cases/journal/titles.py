"""Titles with screened words: the public title of a case or journal entry is its title with
the protected words (the applicant's name, words a handler chose) replaced by *****."""

from __future__ import annotations

import re

from samvirke.cases.models import WITHHELD_MARK, Case, words_hide

SCREENED = WITHHELD_MARK


def screen_title(title: str, protected: list[str] | tuple[str, ...] = ()) -> str:
    """The public title: each protected word or phrase (a name, an address) replaced by
    *****, whatever its capitals ("storgata 1" hides "Storgata 1"). Noark 5's
    offentligTittel."""
    return words_hide(title, protected)


def hidden_words(title: str, public_title: str) -> list[str]:
    """The words a public title hides, recovered by lining the title up with it. When
    they cannot be lined up, the whole title is hidden."""
    if title == public_title:
        return []
    parts = public_title.split(SCREENED)
    pattern = "(.+?)".join(re.escape(part) for part in parts)
    match = re.fullmatch(pattern, title, flags=re.DOTALL)
    if match is None:
        return [title]
    return [word for word in match.groups() if word.strip()]


def protected_words(case: Case) -> list[str]:
    """The words screened out of the case's public title (names, addresses), so that
    journal entries about the case hide the same words."""
    if not case.screening_basis:
        return []
    return hidden_words(case.title, case.public_title)
