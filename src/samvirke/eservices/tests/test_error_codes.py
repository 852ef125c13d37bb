"""A definition's problem against the JSON Schema has the code `schema_<keyword>`: every
keyword the schema can fail on has its member in `EservicesErrorCode`."""

from __future__ import annotations

from samvirke.eservices.definition import schema, schema_problems
from samvirke.eservices.errors import EservicesErrorCode

# Keywords that only lead to others (their sub-schemas' keywords report the problem).
STRUCTURAL = {"$ref", "$defs", "properties", "items", "if", "then", "else", "allOf"}
KEYWORDS = {
    "additionalProperties", "allOf", "anyOf", "const", "enum", "exclusiveMaximum",
    "exclusiveMinimum", "format", "maxItems", "maxLength", "maxProperties", "maximum",
    "minItems", "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf",
    "pattern", "required", "type", "unevaluatedProperties", "uniqueItems",
}  # fmt: skip


def _keywords(node) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in KEYWORDS:
                found.add(key)
            if key in ("properties", "$defs", "patternProperties"):
                for sub in value.values():
                    found |= _keywords(sub)
            else:
                found |= _keywords(value)
    elif isinstance(node, list):
        for item in node:
            found |= _keywords(item)
    return found


def test_every_schema_keyword_has_its_code():
    used = _keywords(schema()) - STRUCTURAL
    assert {"type", "required", "additionalProperties"} <= used
    missing = sorted(k for k in used if f"schema_{k}" not in EservicesErrorCode.values)
    assert not missing, f"Add EservicesErrorCode members for: {missing}"


def test_a_schema_problem_carries_its_keyword_code():
    [problem] = schema_problems({"format_version": 1, "steps": "none"})[:1]
    assert problem.code in EservicesErrorCode.values
    assert problem.code.startswith("schema_")
