"""Reading a building application's answers for neighbour notification: whether it
notifies neighbours, who they are, and what of it a neighbour may see.

The form's answers this module relies on (see docs/service-square.md):

- `neighbours`: a repeating group; each row has `name` (required to count), and may have
  `email`, `address` (an address `{"street", "postcode", "city"}` or a text) and
  `property` (a property id `{"municipality", "gnr", "bnr", "fnr"?, "snr"?}`).
- `applicant_name`, `property`, `address`: who applies, for which property, where.
- `needs_dispensation` (yes/no) and `objections_received` (yes/no): for the deadline rule.

A neighbour sees the applicant's name and the answers on the form's other steps that are
about the project, never the applicant's identity number, e-mail, phone, eID-prefilled
answers, or the other neighbours."""

from __future__ import annotations

from typing import Any

from samvirke.eservices.engine import translated
from samvirke.eservices.engine.rendering import display_value

NEIGHBOURS_KEY = "neighbours"

# Answer types a neighbour may see; identity numbers, contact details and files are not
# among them (files are shown as the plans, through the personal link).
PUBLIC_TYPES = frozenset(
    {
        "text",
        "long_text",
        "number",
        "date",
        "single_choice",
        "multiple_choice",
        "yes_no",
        "address",
        "property_id",
        "map_point",
    }
)
# A step holding one of these is about the applicant as a person: none of it is shown.
PERSONAL_TYPES = frozenset({"national_id", "email", "phone", "organisation_number"})


def _fields(definition: dict):
    for step in definition.get("steps", []):
        yield from step.get("fields", [])


def has_neighbour_group(definition: dict) -> bool:
    """The form asks for neighbours: it has a repeating group with the key `neighbours`."""
    return any(
        f.get("key") == NEIGHBOURS_KEY and f.get("type") == "repeating_group"
        for f in _fields(definition)
    )


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def address_label(value: Any) -> str:
    if isinstance(value, dict):
        street = text(value.get("street"))
        place = " ".join(p for p in (text(value.get("postcode")), text(value.get("city"))) if p)
        return ", ".join(p for p in (street, place) if p)
    return text(value)


def property_label(value: Any) -> str:
    """`gnr/bnr` (with `/fnr/snr` when given), e.g. `12/34`."""
    if not isinstance(value, dict) or not value.get("gnr") or not value.get("bnr"):
        return ""
    numbers = [str(value["gnr"]), str(value["bnr"])]
    numbers += [str(value[p]) for p in ("fnr", "snr") if value.get(p)]
    return "/".join(numbers)


def neighbour_rows(answers: dict) -> list[dict[str, str]]:
    """The neighbours the applicant listed, each as name, email, address, property."""
    rows = answers.get(NEIGHBOURS_KEY)
    if not isinstance(rows, list):
        return []
    neighbours = []
    for row in rows:
        if not isinstance(row, dict) or not text(row.get("name")):
            continue
        neighbours.append(
            {
                "name": text(row.get("name"))[:200],
                "email": text(row.get("email"))[:254],
                "address": address_label(row.get("address"))[:300],
                "property": property_label(row.get("property"))[:60],
            }
        )
    return neighbours


def applicant_name(submission) -> str:
    name = text(submission.answers.get("applicant_name"))
    if not name and submission.applicant is not None:
        name = submission.applicant.get_full_name() or ""
    return name


def application_facts(submission) -> dict[str, str]:
    answers = submission.answers
    prop = answers.get("property") if isinstance(answers.get("property"), dict) else {}
    return {
        "applicant": applicant_name(submission),
        "property": property_label(prop),
        "property_municipality": text(str(prop.get("municipality", ""))),
        "address": address_label(answers.get("address")),
        "form_title": translated(submission.form_version.definition.get("title")),
    }


# shown as the application's facts (applicant, property, address), not again in the summary
FACT_KEYS = frozenset({"property", "address"})


def application_summary(submission, language: str) -> list[tuple[str, str]]:
    """(label, value) of the answers a neighbour may see, in the form's order, besides
    the facts (`application_facts`) shown on their own."""
    definition = submission.form_version.definition
    answers = submission.answers
    summary: list[tuple[str, str]] = []
    for step in definition.get("steps", []):
        fields = step.get("fields", [])
        kinds = {f.get("type") for f in fields}
        keys = {f.get("key") for f in fields}
        if kinds & PERSONAL_TYPES or NEIGHBOURS_KEY in keys:
            continue
        for field in fields:
            value = answers.get(field.get("key"))
            if field.get("type") not in PUBLIC_TYPES or field.get("prefill"):
                continue
            if field.get("key") in FACT_KEYS:
                continue
            if value is None or value == "" or value == []:
                continue
            try:
                shown = display_value(field, value, language)
            except (KeyError, TypeError, ValueError):
                continue  # an answer of an older shape: leave it out rather than fail
            summary.append((translated(field.get("label"), language), shown))
    return summary
