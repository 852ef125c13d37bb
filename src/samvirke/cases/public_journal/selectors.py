"""Reading the public journal (offentlig journal / postliste): the municipalities' journal
entries as anyone may see them, per municipality and across the region.

What is public follows offentleglova and the archive regulations:

- Incoming (I) and outgoing (U) documents are listed. Internal notes (N, X) are not:
  they are organinterne dokument that may be exempted under offl. § 14, and the archive
  regulation (arkivforskrifta § 9) requires journaling of documents sent or received, not
  of internal notes. A municipality that publishes its internal notes too can set
  SAMVIRKE_PUBLIC_JOURNAL_TYPES to "I,U,N,X".
- A screened entry (skjermet, with a legal basis such as "Offl. § 13, jf. fvl. § 13")
  shows its public title, with the protected words replaced by *****, and its legal
  basis; its parties' names are hidden. An unscreened entry shows its title and parties.
- The case's title is shown as its public title, screened the same way.
- Names of private persons follow the case type, or the handler's choice for the entry
  (`models/privacy.py`, offentlegforskrifta § 7): withheld online, the entry is listed
  with ***** for the names in its titles and "Name withheld online" for a party who is a
  private person; shown, the names are there. Organisations' names are always shown.
  A page that shows a private person's name is kept out of search engines (the views
  send noindex), and search reads only the online titles, so a withheld name finds
  nothing.

Everything leaves this module as a `PublicEntry`, which holds only what may be shown: a
template cannot print a screened title or name by mistake.

The confirmation of an access request (innsynskrav) is read here too: it shows the case
the request is for, to the browser that filed it."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from samvirke.cases.models import (
    WITHHELD_MARK,
    Case,
    EntryType,
    JournalEntry,
    OnlineNames,
    is_private_person,
    withhold_names,
)
from samvirke.organisations.models import Organisation, OrganisationKind


def public_entry_types() -> tuple[str, ...]:
    configured = getattr(settings, "SAMVIRKE_PUBLIC_JOURNAL_TYPES", None) or os.environ.get(
        "SAMVIRKE_PUBLIC_JOURNAL_TYPES", ""
    )
    if isinstance(configured, str):
        configured = [t.strip().upper() for t in configured.split(",") if t.strip()]
    types = tuple(t for t in configured if t in EntryType.values)
    return types or (EntryType.INCOMING, EntryType.OUTGOING)


def journal_municipalities() -> QuerySet[Organisation]:
    """The municipalities whose journals are published here: the region's members."""
    return Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, is_member=True).order_by(
        "name"
    )


def journal_municipality(slug: str) -> Organisation:
    """The member municipality with this slug (Organisation.DoesNotExist otherwise)."""
    return journal_municipalities().get(slug=slug)


def public_entries(*, organisation: Organisation | None = None) -> QuerySet[JournalEntry]:
    """Every entry of the public journal, newest first, in one municipality or the
    whole region."""
    entries = JournalEntry.objects.filter(
        entry_type__in=public_entry_types(),
        organisation__kind=OrganisationKind.MUNICIPALITY,
        organisation__is_member=True,
    )
    if organisation is not None:
        entries = entries.filter(organisation=organisation)
    return entries.select_related("organisation", "case__case_type").order_by(
        "-journal_date", "organisation__name", "-sequence"
    )


REFERENCE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{1,7})(?:\s*-\s*(\d{1,4}))?\s*$")


def parse_reference(text: str) -> tuple[int, int, int | None] | None:
    """A case number as the journal writes it: 2026/00012, 2026/12 or, for one entry,
    2026/12-3. None when the text is not one."""
    match = REFERENCE.match(text or "")
    if not match:
        return None
    year, sequence, number = match.groups()
    return int(year), int(sequence), int(number) if number else None


@dataclass(frozen=True)
class JournalQuery:
    """What the visitor asked for. Without any of it, the latest day with entries."""

    text: str = ""
    reference: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.reference or self.date_from or self.date_to)

    @property
    def single_day(self) -> datetime.date | None:
        if self.date_from and self.date_from == self.date_to:
            return self.date_from
        return None


def journal_search(entries: QuerySet[JournalEntry], query: JournalQuery) -> QuerySet[JournalEntry]:
    """Filters by journal date (a day or a range), by words in the public titles (the
    entry's and its case's: never the screened title, so a search cannot reveal a
    screened word) and by case number."""
    if query.date_from:
        entries = entries.filter(journal_date__gte=query.date_from)
    if query.date_to:
        entries = entries.filter(journal_date__lte=query.date_to)
    for word in query.text.split()[:8]:
        # an entry that withholds names while its case type shows them shows the case's
        # title without them, so the case's title must not find it either
        entries = entries.filter(
            Q(online_title__icontains=word)
            | (Q(case__online_title__icontains=word) & ~Q(online_names=OnlineNames.WITHHELD))
        )
    if query.reference:
        parsed = parse_reference(query.reference)
        if parsed is None:
            return entries.none()
        year, sequence, number = parsed
        entries = entries.filter(case__year=year, case__sequence=sequence)
        if number is not None:
            entries = entries.filter(number_in_case=number)
    return entries


def latest_journal_day(entries: QuerySet[JournalEntry]) -> datetime.date | None:
    return entries.order_by().aggregate(day=Max("journal_date"))["day"]


def neighbour_days(
    entries: QuerySet[JournalEntry], day: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """The nearest earlier and later days with entries, for moving day by day."""
    plain = entries.order_by()
    earlier = plain.filter(journal_date__lt=day).aggregate(d=Max("journal_date"))["d"]
    later = plain.filter(journal_date__gt=day).aggregate(d=Min("journal_date"))["d"]
    return earlier, later


@dataclass(frozen=True)
class PublicParty:
    role: str
    name: str
    # a private person whose name the online journal shows (never true for organisations)
    private_person_shown: bool = False
    withheld: bool = False


@dataclass(frozen=True)
class PublicEntry:
    pk: int
    journal_date: datetime.date
    document_date: datetime.date
    reference: str
    entry_type: str
    entry_type_label: str
    title: str
    screened: bool
    screening_basis: str
    parties: tuple[PublicParty, ...]
    case_reference: str
    case_title: str
    municipality: str
    municipality_slug: str
    names_withheld: bool = False
    shows_private_names: bool = False


def _role_label(role: str) -> str:
    return {
        "sender": _("From"),
        "recipient": _("To"),
        "copy": _("Copy to"),
    }.get(role, _("Party"))


def public_entry(entry: JournalEntry) -> PublicEntry:
    """What the public may see of a journal entry (see the module's docstring)."""
    screened = entry.is_screened
    withheld = entry.names_withheld_online
    parties: list[PublicParty] = []
    if not screened:
        for p in entry.parties or []:
            if not (isinstance(p, dict) and p.get("name")):
                continue
            role, person = _role_label(p.get("role", "")), is_private_person(p)
            if person and withheld:
                parties.append(
                    PublicParty(role=role, name=_("Name withheld online"), withheld=True)
                )
            else:
                parties.append(PublicParty(role=role, name=p["name"], private_person_shown=person))
    case = entry.case
    names = [n for n in entry.private_names() if n and n.strip()]
    title = entry.online_title or WITHHELD_MARK
    case_title = case.online_title or WITHHELD_MARK
    if withheld:
        # the entry's own choice covers the case's title in its row too
        case_title = withhold_names(case_title, names)
    shows_names = any(p.private_person_shown for p in parties) or _names_in(
        names, [title, case_title]
    )
    return PublicEntry(
        pk=entry.pk,
        journal_date=entry.journal_date,
        document_date=entry.document_date,
        reference=entry.reference,
        entry_type=entry.entry_type,
        entry_type_label=entry.get_entry_type_display(),
        title=title,
        screened=screened,
        screening_basis=entry.screening_basis,
        parties=tuple(parties),
        case_reference=case.reference,
        case_title=case_title,
        municipality=entry.organisation.name,
        municipality_slug=entry.organisation.slug,
        names_withheld=withheld
        and not screened
        and (any(p.withheld for p in parties) or WITHHELD_MARK in title + case_title),
        shows_private_names=shows_names,
    )


def _names_in(names: list[str], texts: list[str]) -> bool:
    folded = [t.casefold() for t in texts]
    return any(n.strip().casefold() in t for n in names for t in folded)


def shows_private_names(entries) -> bool:
    """Whether any of these `PublicEntry`s shows a private person's name: the page
    that shows them must then be kept out of search engines (noindex)."""
    return any(e.shows_private_names for e in entries)


def public_entry_get(pk: int) -> JournalEntry:
    """One entry of the public journal (JournalEntry.DoesNotExist when it is not in it,
    for example an internal note)."""
    return public_entries().get(pk=pk)


def access_request_case_get(*, pk: int, filed_case_ids: list[int]) -> Case:
    """The case of an access request this browser filed (`filed_case_ids`, kept in its
    session), with its municipality; any other raises `Case.DoesNotExist`."""
    if pk not in filed_case_ids:
        raise Case.DoesNotExist
    return Case.objects.select_related("organisation").get(pk=pk)
