"""What the online public journal shows about private persons (offentlegforskrifta § 7).

A case type says whether the names of private persons in its cases are shown in the
public journal on the internet or withheld online (unntatt fra nettpublisering: the entry
is listed, the name is not); a handler may override it per journal entry. Screening
(a legal basis, `screening_basis`) always wins: a screened entry hides its parties and
its protected words whatever this says. Names of organisations and businesses are
shown. The running journal and the archive keep every name.

`online_title` on a case and on a journal entry is the title as the online journal
shows it: the public title when screened, else the title, with the names of private
persons replaced by ***** when they are withheld. It is kept on save, so the public
journal can search it without ever matching a withheld name."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

WITHHELD_MARK = "*****"


class OnlineNames(models.TextChoices):
    """Names of private persons in the online public journal."""

    WITHHELD = "withheld", _("Withheld online (shown only on request)")
    SHOWN = "shown", _("Shown online")


def words_hide(text: str, words: list[str] | tuple[str, ...], *, shortest: int = 1) -> str:
    """`text` with each word or phrase of at least `shortest` characters replaced by
    *****, whatever its capitals, longest first (so "Kari Nordmann" goes before "Kari").
    Screening's public titles and the withheld names of the online journal both use it."""
    wanted = {w.strip() for w in words if w and len(w.strip()) >= shortest}
    for word in sorted(wanted, key=len, reverse=True):
        text = re.sub(re.escape(word), WITHHELD_MARK, text, flags=re.IGNORECASE)
    return text


def withhold_names(text: str, names: list[str] | tuple[str, ...]) -> str:
    """`text` with each name of two characters or more replaced by *****."""
    return words_hide(text, names, shortest=2)


def is_private_person(party: dict) -> bool:
    """A party is a private person unless it is marked an organisation (`"kind":
    "organisation"`) or anonymous (`"anonymous": true`, an anonymous submission's sender,
    which has no name to hide): when in doubt, a name is a person's."""
    return party.get("kind") != "organisation" and not party.get("anonymous")


def private_party_names(parties) -> list[str]:
    return [
        str(p.get("name") or "")
        for p in parties or []
        if isinstance(p, dict) and is_private_person(p) and str(p.get("name") or "").strip()
    ]
