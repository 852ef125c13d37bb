"""Small definitions for tests, built in code so each test shows what it relies on."""

from __future__ import annotations

import copy


def t(nb: str, en: str | None = None) -> dict:
    return {"nb": nb, **({"en": en} if en else {})}


def field(key: str, kind: str, **extra) -> dict:
    result = {"key": key, "type": kind, "label": t(key.capitalize(), key.capitalize())}
    if kind in ("single_choice", "multiple_choice") and "options" not in extra:
        result["options"] = [
            {"value": "a", "label": t("A")},
            {"value": "b", "label": t("B")},
            {"value": "c", "label": t("C")},
        ]
    if kind == "file" and "files" not in extra:
        result["files"] = {"max_size_mb": 1, "allowed_types": ["application/pdf"]}
    if kind == "info":
        del result["label"]
        result["text"] = t("Info")
    result.update(extra)
    return result


def definition(*steps: list[dict]) -> dict:
    return {
        "format_version": 1,
        "title": t("Skjema", "Form"),
        "steps": [
            {"key": f"step{i}", "title": t(f"Steg {i + 1}", f"Step {i + 1}"), "fields": fields}
            for i, fields in enumerate(steps)
        ],
    }


def single(*fields: dict) -> dict:
    return definition(list(fields))


def clone(value: dict) -> dict:
    return copy.deepcopy(value)
