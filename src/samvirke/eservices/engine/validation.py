"""Validating a step (or a whole submission) of a form definition on the server.

The answers are a flat dict from field key to cleaned value, JSON-friendly, holding only
fields that are visible and filled in. Visibility is evaluated in the definition's order
against the answers before each field, so a hidden field is neither validated nor kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from samvirke.eservices.engine.fields import FieldError, FieldParser, Parsed, Source
from samvirke.eservices.engine.text import translated
from samvirke.eservices.engine.visibility import condition_holds, is_filled
from samvirke.eservices.errors import EservicesErrorCode

ADD_ROW = "_add"  # submit button value: the group key to add a row to
REMOVE_ROW = "_remove"  # submit button value: "<group key>.<row index>"
SHOWN = "_shown"  # hidden input: the keys of the fields that were on the page


@dataclass
class FieldOutcome:
    """One visible field after reading it: what to show again, its value, its errors."""

    field: dict
    name: str
    html_id: str
    raw: Any = ""
    value: Any = None
    errors: list[FieldError] = dc_field(default_factory=list)
    rows: list[list[FieldOutcome]] | None = None  # repeating groups only


@dataclass
class StepOutcome:
    step_index: int
    fields: list[FieldOutcome]
    errors: list[FieldError]
    answers: dict[str, Any]
    complete: bool  # valid, and no "add another" or newly shown fields to fill in first


def html_id(name: str) -> str:
    # keys hold no "-", so "a.0.b" (a group's row) and "a_0_b" (a key) stay apart
    return "field-" + name.replace(".", "-")


def answers_prune(definition: dict, answers: dict[str, Any]) -> dict[str, Any]:
    """Only the answers to fields that are visible given the answers before them."""
    kept: dict[str, Any] = {}
    for step in definition["steps"]:
        for field in step["fields"]:
            key = field["key"]
            if key in answers and condition_holds(field.get("visible_if"), kept):
                if field["type"] == "repeating_group":
                    kept[key] = [_row_prune(field, row, kept) for row in answers[key]]
                else:
                    kept[key] = answers[key]
    return kept


def _row_prune(group: dict, row: dict, context: dict) -> dict:
    kept: dict[str, Any] = {}
    for field in group["fields"]:
        key = field["key"]
        if key in row and condition_holds(field.get("visible_if"), {**context, **kept}):
            kept[key] = row[key]
    return kept


class _StepReader:
    def __init__(self, *, source: Source, language: str, answers: dict[str, Any], action: str):
        self.source = source
        self.language = language
        self.previous = answers
        self.action = action
        shown = source.get(SHOWN)
        self.shown = set(shown.split(",")) if SHOWN in source.data else None
        self.pending = False  # something the person must look at before going on

    def read_fields(
        self, fields: list[dict], context: dict, prefix: str = ""
    ) -> list[FieldOutcome]:
        outcomes = []
        for field in fields:
            if not condition_holds(field.get("visible_if"), context):
                continue
            name = f"{prefix}{field['key']}"
            outcome = self.read_field(field, name, context)
            if self.shown is not None and not prefix and field["key"] not in self.shown:
                # shown now because of an answer on this page: ask before complaining
                self.pending = True
                _clear_errors([outcome])
            if is_filled(outcome.value):
                context[field["key"]] = outcome.value
            outcomes.append(outcome)
        return outcomes

    def read_field(self, field: dict, name: str, context: dict) -> FieldOutcome:
        if field["type"] == "repeating_group":
            return self.read_group(field, name, context)
        parser = FieldParser(field, name=name, html_id=html_id(name), language=self.language)
        parsed: Parsed = parser.parse(self.source, self.previous.get(field["key"]))
        return FieldOutcome(
            field=field,
            name=name,
            html_id=html_id(name),
            raw=parsed.raw,
            value=parsed.value,
            errors=parsed.errors,
        )

    def read_group(self, field: dict, name: str, context: dict) -> FieldOutcome:
        key = field["key"]
        max_rows = field.get("max_rows", 100)
        try:
            count = int(self.source.get(f"{name}.rows") or 0)
        except ValueError:
            count = 0
        count = max(0, min(count, max_rows))
        removed = None
        if self.action.startswith(f"{REMOVE_ROW}:{key}."):
            removed = self.action.rsplit(".", 1)[1]
            self.pending = True
        rows: list[list[FieldOutcome]] = []
        values: list[dict] = []
        for index in range(count):
            if str(index) == removed:
                continue
            row_context = dict(context)
            row_fields = self.read_fields(field["fields"], row_context, prefix=f"{name}.{index}.")
            if not any(_raw_filled(o) for o in row_fields):
                continue  # an empty row is not an answer
            row_value = {o.field["key"]: o.value for o in row_fields if is_filled(o.value)}
            row_errors = [e for o in row_fields for e in o.errors]
            rows.append(row_fields)
            if not row_errors:
                values.append(row_value)
        outcome = FieldOutcome(field=field, name=name, html_id=html_id(name), rows=rows)
        if self.action == f"{ADD_ROW}:{key}":
            self.pending = True
        row_errors = any(o.errors for row in rows for o in row)
        minimum = field.get("min_rows", 1 if field.get("required") else 0)
        if not row_errors and len(values) < minimum:
            outcome.errors.append(
                FieldError(
                    key=key,
                    target=outcome.html_id,
                    code=EservicesErrorCode.MIN_ROWS,
                    label=translated(field.get("label"), self.language),
                    message=_("Add at least %(n)s.") % {"n": minimum},
                )
            )
        if len(values) > max_rows:
            outcome.errors.append(
                FieldError(
                    key=key,
                    target=outcome.html_id,
                    code=EservicesErrorCode.MAX_ROWS,
                    label=translated(field.get("label"), self.language),
                    message=_("Add at most %(n)s.") % {"n": max_rows},
                )
            )
        outcome.value = values if values and not row_errors and not outcome.errors else None
        # renumber the rows so the names on the page run 0, 1, 2… again
        outcome.rows = [_renumber(row, name, index) for index, row in enumerate(rows)]
        return outcome


def _raw_filled(outcome: FieldOutcome) -> bool:
    raw = outcome.raw
    if isinstance(raw, dict):
        return any(raw.values())
    return is_filled(raw) or is_filled(outcome.value)


def _renumber(row: list[FieldOutcome], group_name: str, index: int) -> list[FieldOutcome]:
    for outcome in row:
        sub_key = outcome.field["key"]
        new_name = f"{group_name}.{index}.{sub_key}"
        if outcome.name != new_name:
            old_id, outcome.name, outcome.html_id = outcome.html_id, new_name, html_id(new_name)
            for error in outcome.errors:
                error.target = error.target.replace(old_id, outcome.html_id, 1)
    return row


def _clear_errors(outcomes: list[FieldOutcome]) -> None:
    for outcome in outcomes:
        outcome.errors = []
        for row in outcome.rows or []:
            _clear_errors(row)


def all_errors(outcomes: list[FieldOutcome]) -> list[FieldError]:
    errors = []
    for outcome in outcomes:
        errors.extend(outcome.errors)
        for row in outcome.rows or []:
            errors.extend(all_errors(row))
    return errors


def step_validate(
    definition: dict,
    *,
    step_index: int,
    data,
    files=None,
    answers: dict[str, Any] | None = None,
    language: str = "nb",
) -> StepOutcome:
    """Reads the submitted data of one step; returns its fields, errors and the answers.

    `answers` are the answers so far (other steps, earlier submissions). The returned
    answers replace this step's part with what was submitted and drop every answer that
    a changed answer has hidden."""
    answers = dict(answers or {})
    step = definition["steps"][step_index]
    source = Source(data, files)
    action = source.get("_action")
    with translation.override(language):
        reader = _StepReader(source=source, language=language, answers=answers, action=action)
        step_keys = {f["key"] for f in step["fields"]}
        context = {k: v for k, v in answers.items() if k not in step_keys}
        outcomes = reader.read_fields(step["fields"], context)
    if action.startswith((ADD_ROW, REMOVE_ROW)):
        # adding or removing a row is not an attempt to go on: no errors yet
        _clear_errors(outcomes)
    errors = all_errors(outcomes)
    merged = {k: v for k, v in answers.items() if k not in step_keys}
    merged.update({o.field["key"]: o.value for o in outcomes if is_filled(o.value)})
    return StepOutcome(
        step_index=step_index,
        fields=outcomes,
        errors=errors,
        answers=answers_prune(definition, merged),
        complete=not errors and not reader.pending,
    )


def submission_validate(
    definition: dict, *, data, files=None, language: str = "nb"
) -> tuple[dict[str, Any], list[FieldError]]:
    """Validates a whole submission at once (every step): the answers, or the errors."""
    answers: dict[str, Any] = {}
    errors: list[FieldError] = []
    for index in range(len(definition["steps"])):
        outcome = step_validate(
            definition, step_index=index, data=data, files=files, answers=answers, language=language
        )
        answers = outcome.answers
        errors.extend(outcome.errors)
    return (answers, []) if not errors else ({}, errors)


def prefill_answers(
    definition: dict, *, name: str | None = None, national_id: str | None = None
) -> dict[str, Any]:
    """Answers from the eID login, for fields that ask for them (`"prefill": "eid.name"`).

    The caller reads the national identity number through the audited accounts service."""
    values = {"eid.name": name, "eid.national_id": national_id}
    answers = {}
    for step in definition["steps"]:
        for field in step["fields"]:
            value = values.get(field.get("prefill", ""))
            if value:
                answers[field["key"]] = value
    return answers
