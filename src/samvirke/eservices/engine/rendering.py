"""Turning a step's field outcomes into accessible HTML, and the answers into a review.

Rendering is server-side and needs no JavaScript: each field has a label (or a fieldset
with a legend for choices, groups and compound fields), `aria-describedby` pointing at
its help and error texts, and the page starts with an error summary linking to each
field. Repeating groups get an "add another" submit button that re-renders the step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samvirke.eservices.engine.fields import (
    COMPOUND_PARTS,
    DEFAULT_MAX_FILES,
    FieldError,
    part_label,
)
from samvirke.eservices.engine.file_types import size_display, types_display
from samvirke.eservices.engine.text import translated
from samvirke.eservices.engine.validation import (
    ADD_ROW,
    REMOVE_ROW,
    SHOWN,
    FieldOutcome,
    StepOutcome,
    html_id,
)
from samvirke.eservices.engine.visibility import condition_holds, is_filled

#: The last step of every form: the review page, where the citizen checks the answers and
#: sends them. It is a step like the others to the citizen, so the start page lists it and
#: the step pages count it ("Step 2 of 6" for a form with five steps of questions).
REVIEW_STEP_TITLE = gettext_lazy("Check your answers and send")

FIELDSET_TYPES = {"single_choice", "multiple_choice", "yes_no", "repeating_group"} | set(
    COMPOUND_PARTS
)
INPUT_TYPES = {"email": "email", "phone": "tel", "date": "date", "number": "text"}
AUTOCOMPLETE = {"email": "email", "phone": "tel"}


@dataclass
class Part:
    id: str
    name: str
    label: str
    value: str
    inputmode: str
    errors: list[str]


@dataclass
class Node:
    """A field ready for the template."""

    kind: str
    id: str
    name: str
    label: str
    help: str
    text: str
    required: bool
    errors: list[str]
    value: Any
    is_fieldset: bool
    input_type: str = "text"
    autocomplete: str = ""
    options: list[dict] = dc_field(default_factory=list)
    parts: list[Part] = dc_field(default_factory=list)
    rows: list[list[Node]] = dc_field(default_factory=list)
    can_add: bool = False
    add_action: str = ""
    row_count: int = 0
    files: dict = dc_field(default_factory=dict)
    accept: str = ""

    @property
    def help_id(self) -> str:
        return f"{self.id}-help" if self.help else ""

    @property
    def limits_id(self) -> str:
        """The id of a file question's hint (which files, how large)."""
        return f"{self.id}-limits" if self.files else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-error" if self.errors else ""

    @property
    def describedby(self) -> str:
        return " ".join(i for i in (self.help_id, self.limits_id, self.error_id) if i)


def raw_from_value(field: dict, value: Any) -> Any:
    """What to show in the inputs for an answer given earlier."""
    kind = field["type"]
    if value is None:
        return {} if kind in COMPOUND_PARTS else ([] if kind == "multiple_choice" else "")
    if kind == "yes_no":
        return "yes" if value else "no"
    if kind in COMPOUND_PARTS:
        return {k: str(v) for k, v in value.items()}
    if kind in ("multiple_choice", "file"):
        return value
    return str(value)


def outcomes_from_answers(
    fields: list[dict], answers: dict[str, Any], context: dict, prefix: str = ""
) -> list[FieldOutcome]:
    """The visible fields of a step (or group row) with the answers given so far."""
    outcomes = []
    for field in fields:
        if not condition_holds(field.get("visible_if"), context):
            continue
        key = field["key"]
        name = f"{prefix}{key}"
        value = answers.get(key)
        outcome = FieldOutcome(field=field, name=name, html_id=html_id(name), value=value)
        if field["type"] == "repeating_group":
            rows = value or []
            outcome.rows = [
                outcomes_from_answers(field["fields"], row, {**context, **row}, f"{name}.{i}.")
                for i, row in enumerate(rows)
            ]
        else:
            outcome.raw = raw_from_value(field, value)
        if is_filled(value):
            context[key] = value
        outcomes.append(outcome)
    return outcomes


def file_limits_text(limits: dict) -> str:
    """The hint on a file question, in the active language: the file types by the names
    citizens know and the size limit ("You can attach PDF, PNG or JPG, up to 10 MB."),
    never the MIME types the definition declares."""
    values = {
        "types": types_display(limits["allowed_types"]),
        "size": size_display(limits["max_size_mb"]),
    }
    if not limits.get("multiple", False):
        return _("You can attach %(types)s, up to %(size)s.") % values
    count = limits.get("max_files", DEFAULT_MAX_FILES)
    return ngettext(
        "You can attach %(count)s file: %(types)s, up to %(size)s.",
        "You can attach at most %(count)s files: %(types)s, up to %(size)s each.",
        count,
    ) % {**values, "count": count}


def _node(outcome: FieldOutcome, language: str, *, add_rows: int = 0) -> Node:
    field = outcome.field
    kind = field["type"]
    label = translated(field.get("label"), language)
    errors_by_target: dict[str, list[str]] = {}
    for error in outcome.errors:
        errors_by_target.setdefault(error.target, []).append(error.message)
    node = Node(
        kind=kind,
        id=outcome.html_id,
        name=outcome.name,
        label=label,
        help=translated(field.get("help"), language),
        text=translated(field.get("text"), language),
        required=bool(field.get("required")),
        errors=[e.message for e in outcome.errors],
        value=outcome.raw,
        is_fieldset=kind in FIELDSET_TYPES,
        input_type=INPUT_TYPES.get(kind, "text"),
        autocomplete=AUTOCOMPLETE.get(kind, ""),
    )
    if field.get("prefill") == "eid.name":
        node.autocomplete = "name"
    if kind in ("single_choice", "multiple_choice"):
        chosen = outcome.raw if isinstance(outcome.raw, list) else [outcome.raw]
        node.options = [
            {
                "value": o["value"],
                "label": translated(o["label"], language),
                "id": f"{outcome.html_id}-{o['value']}",
                "checked": o["value"] in chosen,
            }
            for o in field["options"]
        ]
    elif kind == "yes_no":
        node.options = [
            {"value": v, "label": lbl, "id": f"{outcome.html_id}-{v}", "checked": outcome.raw == v}
            for v, lbl in (("yes", _("Yes")), ("no", _("No")))
        ]
    elif kind in COMPOUND_PARTS:
        raw = outcome.raw or {}
        node.parts = [
            Part(
                id=f"{outcome.html_id}-{part}",
                name=f"{outcome.name}.{part}",
                label=part_label(kind, part) + ("" if needed else " " + _("(optional)")),
                value=raw.get(part, ""),
                inputmode=mode,
                errors=errors_by_target.get(f"{outcome.html_id}-{part}", []),
            )
            for part, needed, mode in COMPOUND_PARTS[kind]
        ]
        # the first part's errors sit with the part; the legend keeps any others
        node.errors = [
            m for target, ms in errors_by_target.items() if target == outcome.html_id for m in ms
        ]
    elif kind == "file":
        limits = field["files"]
        node.files = {
            "multiple": limits.get("multiple", False),
            "limits": file_limits_text(limits),
            "uploaded": outcome.value or [],
        }
        node.accept = ",".join(limits["allowed_types"])
    elif kind == "repeating_group":
        rows = [[_node(o, language) for o in row] for row in outcome.rows or []]
        max_rows = field.get("max_rows", 100)
        wanted = max(len(rows) + add_rows, field.get("min_rows", 0), 1)
        while len(rows) < min(wanted, max_rows):
            index = len(rows)
            empty = outcomes_from_answers(
                field["fields"], {}, {}, prefix=f"{outcome.name}.{index}."
            )
            rows.append([_node(o, language) for o in empty])
        node.rows = rows
        node.row_count = len(rows)
        node.can_add = len(rows) < max_rows
        node.add_action = f"{ADD_ROW}:{field['key']}"
    return node


def step_nodes(
    outcome: StepOutcome | list[FieldOutcome], language: str, *, action: str = ""
) -> list[Node]:
    outcomes = outcome.fields if isinstance(outcome, StepOutcome) else outcome
    nodes = []
    for o in outcomes:
        extra = 1 if action == f"{ADD_ROW}:{o.field['key']}" else 0
        nodes.append(_node(o, language, add_rows=extra))
    return nodes


def step_render(
    definition: dict,
    *,
    step_index: int,
    language: str,
    outcome: StepOutcome | None = None,
    answers: dict[str, Any] | None = None,
    action: str = "",
) -> str:
    """The HTML of a step's fields (without the <form> element, so a view can add its
    own hidden state and buttons): the error summary and each visible field."""
    with translation.override(language):
        if outcome is None:
            step = definition["steps"][step_index]
            outcomes = outcomes_from_answers(step["fields"], answers or {}, dict(answers or {}))
            errors: list[FieldError] = []
        else:
            outcomes, errors = outcome.fields, outcome.errors
        nodes = step_nodes(outcomes, language, action=action)
        return render_to_string(
            "eservices/engine/step.html",
            {
                "nodes": nodes,
                "errors": errors,
                "shown": ",".join(o.field["key"] for o in outcomes),
                "shown_name": SHOWN,
                "remove_prefix": REMOVE_ROW,
            },
        )


@dataclass
class ReviewItem:
    label: str
    value: str
    field_id: str
    rows: list[list[ReviewItem]] = dc_field(default_factory=list)


@dataclass
class ReviewStep:
    index: int
    title: str
    items: list[ReviewItem]


def display_value(field: dict, value: Any, language: str) -> str:
    kind = field["type"]
    if kind == "yes_no":
        return _("Yes") if value else _("No")
    if kind in ("single_choice", "multiple_choice"):
        labels = {o["value"]: translated(o["label"], language) for o in field["options"]}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, v) for v in values)
    if kind == "date":
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if kind == "file":
        return ", ".join(f["name"] for f in value)
    if kind == "address":
        return f"{value['street']}, {value['postcode']} {value['city']}"
    if kind == "property_id":
        parts = [value["municipality"], str(value["gnr"]), str(value["bnr"])]
        parts += [str(value[p]) for p in ("fnr", "snr") if p in value]
        return "-".join(parts[:1]) + " " + "/".join(parts[1:])
    if kind == "map_point":
        return f"{value['lat']:.5f}, {value['lon']:.5f}"
    if kind == "national_id":
        return f"{value[:6]} {value[6:]}"
    return str(value)


def step_titles(definition: dict, *, language: str) -> list[str]:
    """The titles of the steps a citizen goes through, in order: the form's steps, then
    the review page (`REVIEW_STEP_TITLE`). The start page lists them and each page says
    "Step n of len(step_titles)", so the two always agree."""
    with translation.override(language):
        return [translated(step["title"], language) for step in definition["steps"]] + [
            str(REVIEW_STEP_TITLE)
        ]


def review_steps(definition: dict, *, answers: dict[str, Any], language: str) -> list[ReviewStep]:
    """Every visible answer, by step, for the review page ("check your answers")."""
    with translation.override(language):
        steps = []
        context: dict[str, Any] = {}
        for index, step in enumerate(definition["steps"]):
            items = _review_items(step["fields"], answers, context, "", language)
            steps.append(
                ReviewStep(index=index, title=translated(step["title"], language), items=items)
            )
        return steps


def _review_items(fields, answers, context, prefix, language) -> list[ReviewItem]:
    items = []
    for field in fields:
        if field["type"] == "info" or not condition_holds(field.get("visible_if"), context):
            continue
        key = field["key"]
        value = answers.get(key)
        name = f"{prefix}{key}"
        item = ReviewItem(
            label=translated(field["label"], language), value="", field_id=html_id(name)
        )
        if field["type"] == "repeating_group":
            item.rows = [
                _review_items(field["fields"], row, {**context, **row}, f"{name}.{i}.", language)
                for i, row in enumerate(value or [])
            ]
            item.value = str(len(value or []))
        else:
            item.value = (
                display_value(field, value, language) if is_filled(value) else _("Not answered")
            )
        if is_filled(value):
            context[key] = value
        items.append(item)
    return items
