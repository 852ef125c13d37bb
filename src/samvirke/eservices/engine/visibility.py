"""Conditional visibility (`visible_if`), evaluated on the server against the answers
given so far. A field whose condition fails is hidden: it is neither validated nor kept."""

from __future__ import annotations

from typing import Any


def is_filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def condition_holds(condition: dict | None, answers: dict[str, Any]) -> bool:
    if condition is None:
        return True
    if "all" in condition:
        return all(condition_holds(part, answers) for part in condition["all"])
    if "any" in condition:
        return any(condition_holds(part, answers) for part in condition["any"])
    value = answers.get(condition["field"])
    values = value if isinstance(value, list) else [value]
    if "equals" in condition:
        return _matches(values, [condition["equals"]])
    if "not_equals" in condition:
        return not _matches(values, [condition["not_equals"]])
    if "in" in condition:
        return _matches(values, condition["in"])
    return is_filled(value) == condition["is_filled"]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _matches(values: list, wanted: list) -> bool:
    # compared by kind too: the answer True does not equal the number 1
    return any(v is not None and _kind(v) == _kind(w) and v == w for v in values for w in wanted)
