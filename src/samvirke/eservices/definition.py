"""Checking a form definition: first against the JSON Schema (shape), then semantically
(what a schema cannot say: unique keys, conditions that refer to earlier fields, unique
options, sensible limits).

Every problem is a `DefinitionProblem` with a stable `code` and a JSON pointer to the
place in the definition, so the editor can list them and the API can pass them on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from samvirke.eservices.errors import EservicesErrorCode

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "form-definition.schema.json"
FORMAT_VERSION = 1
CHOICE_TYPES = ("single_choice", "multiple_choice")


@dataclass(frozen=True)
class DefinitionProblem:
    code: str
    pointer: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "pointer": self.pointer, "message": self.message}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def _pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def schema_problems(definition: Any) -> list[DefinitionProblem]:
    """Problems against the JSON Schema, the deepest ones first for each place."""
    problems = []
    for error in sorted(_validator().iter_errors(definition), key=lambda e: list(e.path)):
        # a failed `oneOf`/`allOf` says little; its most relevant sub-error says more
        best = error
        while best.context:
            best = min(best.context, key=lambda e: -len(e.path))
        problems.append(
            DefinitionProblem(
                # `schema_<keyword>`: every keyword the schema uses has its member
                # (eservices/tests/test_error_codes.py checks)
                code=EservicesErrorCode(f"schema_{best.validator}"),
                pointer=_pointer(best.absolute_path),
                message=best.message,
            )
        )
    return problems


def iter_fields(fields: list[dict], pointer: str) -> Iterator[tuple[dict, str]]:
    for index, field in enumerate(fields):
        yield field, f"{pointer}/{index}"


def _condition_keys(condition: dict, pointer: str) -> Iterator[tuple[str, str]]:
    for combinator in ("all", "any"):
        if combinator in condition:
            for index, part in enumerate(condition[combinator]):
                yield from _condition_keys(part, f"{pointer}/{combinator}/{index}")
            return
    yield condition["field"], f"{pointer}/field"


def semantic_problems(definition: dict) -> list[DefinitionProblem]:
    """Checks a schema-valid definition for what the schema cannot express."""
    problems: list[DefinitionProblem] = []
    seen_keys: set[str] = set()
    step_keys: set[str] = set()

    def add(code: str, pointer: str, message: str) -> None:
        problems.append(DefinitionProblem(code=code, pointer=pointer, message=message))

    def check_fields(fields: list[dict], pointer: str, earlier: set[str], scope: set[str]):
        for field, field_pointer in iter_fields(fields, pointer):
            key = field["key"]
            if key in scope:
                add(
                    EservicesErrorCode.DUPLICATE_KEY,
                    f"{field_pointer}/key",
                    _("The key “%s” is used twice.") % key,
                )
            scope.add(key)
            if "visible_if" in field:
                for ref, ref_pointer in _condition_keys(
                    field["visible_if"], f"{field_pointer}/visible_if"
                ):
                    if ref not in earlier:
                        add(
                            EservicesErrorCode.CONDITION_UNKNOWN_FIELD,
                            ref_pointer,
                            _("The condition refers to “%s”, which is not an earlier field.") % ref,
                        )
            check_field(field, field_pointer, earlier)
            earlier.add(key)

    def check_field(field: dict, pointer: str, earlier: set[str]) -> None:
        kind = field["type"]
        options = field.get("options", [])
        values = [o["value"] for o in options]
        for index, value in enumerate(values):
            if value in values[:index]:
                add(
                    EservicesErrorCode.DUPLICATE_OPTION,
                    f"{pointer}/options/{index}/value",
                    _("The option “%s” is listed twice.") % value,
                )
        rules = field.get("validation", {})
        for low, high in (("min_length", "max_length"), ("min", "max")):
            if low in rules and high in rules and rules[low] > rules[high]:
                add(
                    EservicesErrorCode.MIN_GREATER_THAN_MAX,
                    f"{pointer}/validation/{low}",
                    _("“%(low)s” is greater than “%(high)s”.") % {"low": low, "high": high},
                )
        if "pattern" in rules:
            try:
                re.compile(rules["pattern"])
            except re.error as error:
                add(
                    EservicesErrorCode.INVALID_PATTERN,
                    f"{pointer}/validation/pattern",
                    _("The pattern is not a valid regular expression: %s") % error,
                )
        allowed = RULES_BY_TYPE.get(kind, set())
        for name in rules:
            if name not in allowed and name != "pattern_message":
                add(
                    EservicesErrorCode.RULE_NOT_FOR_TYPE,
                    f"{pointer}/validation/{name}",
                    _("The rule “%(rule)s” does not apply to a field of type “%(type)s”.")
                    % {"rule": name, "type": kind},
                )
        prefill = field.get("prefill")
        if prefill and kind not in PREFILL_TYPES[prefill]:
            add(
                EservicesErrorCode.PREFILL_NOT_FOR_TYPE,
                f"{pointer}/prefill",
                _("“%(prefill)s” cannot prefill a field of type “%(type)s”.")
                % {"prefill": prefill, "type": kind},
            )
        if kind == "repeating_group":
            low, high = field.get("min_rows", 0), field.get("max_rows")
            if high is not None and low > high:
                add(
                    EservicesErrorCode.MIN_GREATER_THAN_MAX,
                    f"{pointer}/min_rows",
                    _("“min_rows” is greater than “max_rows”."),
                )
            inner = field["fields"]
            for index, sub in enumerate(inner):
                if sub["type"] in ("repeating_group", "file"):
                    add(
                        EservicesErrorCode.TYPE_NOT_IN_GROUP,
                        f"{pointer}/fields/{index}/type",
                        _("A repeating group cannot hold a field of type “%s”.") % sub["type"],
                    )
            # inside a row, conditions may refer to earlier fields of the row or of the form
            check_fields(inner, f"{pointer}/fields", set(earlier), set())
        if kind == "file" and "max_files" in field["files"] and not field["files"].get("multiple"):
            add(
                EservicesErrorCode.MAX_FILES_WITHOUT_MULTIPLE,
                f"{pointer}/files/max_files",
                _("“max_files” needs “multiple”: true."),
            )

    earlier: set[str] = set()
    for index, step in enumerate(definition["steps"]):
        pointer = f"/steps/{index}"
        if step["key"] in step_keys:
            add(
                EservicesErrorCode.DUPLICATE_STEP_KEY,
                f"{pointer}/key",
                _("The step key “%s” is used twice.") % step["key"],
            )
        step_keys.add(step["key"])
        check_fields(step["fields"], f"{pointer}/fields", earlier, seen_keys)
    return problems


TEXT_RULES = {"min_length", "max_length", "pattern"}
RULES_BY_TYPE: dict[str, set[str]] = {
    "text": TEXT_RULES,
    "long_text": TEXT_RULES,
    "email": {"max_length"},
    "phone": set(),
    "number": {"min", "max"},
    "date": {"min_date", "max_date"},
    "multiple_choice": {"min", "max"},
}
PREFILL_TYPES = {"eid.name": {"text"}, "eid.national_id": {"national_id"}}


def definition_problems(definition: Any) -> list[DefinitionProblem]:
    """All problems of a definition: the schema's, then (if the shape is right) the rest."""
    problems = schema_problems(definition)
    if problems:
        return problems
    return semantic_problems(definition)


def definition_parse(text: str) -> tuple[Any, list[DefinitionProblem]]:
    """Parses JSON text; a syntax error is a problem at the root, with line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            DefinitionProblem(
                code=EservicesErrorCode.INVALID_JSON,
                pointer="",
                message=_("Not valid JSON: %(msg)s (line %(line)s, column %(col)s).")
                % {"msg": error.msg, "line": error.lineno, "col": error.colno},
            )
        ]
    return data, definition_problems(data)
