"""The format: the JSON Schema and the semantic checks, with stable codes and pointers."""

from __future__ import annotations

import json

import pytest
from django.utils.translation import override
from jsonschema import Draft202012Validator

from samvirke.eservices.definition import (
    definition_parse,
    definition_problems,
    schema,
)
from samvirke.eservices.demo import library_documents

from .definitions import clone, definition, field, single


def codes(problems) -> set[tuple[str, str]]:
    return {(p.code, p.pointer) for p in problems}


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("document", library_documents(), ids=lambda d: d["slug"])
def test_the_shipped_forms_are_valid(document):
    assert definition_problems(document["definition"]) == []
    # both bokmål and English throughout
    text = json.dumps(document["definition"])
    assert text.count('"en":') >= text.count('"nb":') - 5


def test_a_missing_label_is_reported_at_its_field():
    broken = single({"key": "name", "type": "text"})
    assert ("schema_required", "/steps/0/fields/0") in codes(definition_problems(broken))


def test_an_unknown_type_and_a_bad_key_are_reported_with_pointers():
    broken = single(field("name", "text"), field("Bad-Key", "text"))
    broken["steps"][0]["fields"][0]["type"] = "textarea"
    found = codes(definition_problems(broken))
    assert ("schema_enum", "/steps/0/fields/0/type") in found
    assert ("schema_pattern", "/steps/0/fields/1/key") in found


def test_a_label_needs_bokmal():
    broken = single(field("name", "text", label={"en": "Name"}))
    assert ("schema_required", "/steps/0/fields/0/label") in codes(definition_problems(broken))


def test_choices_need_options_and_files_need_limits():
    choice = field("colour", "single_choice")
    del choice["options"]
    upload = field("doc", "file")
    del upload["files"]
    found = codes(definition_problems(single(choice, upload)))
    assert ("schema_required", "/steps/0/fields/0") in found
    assert ("schema_required", "/steps/0/fields/1") in found


def test_format_version_is_checked():
    broken = single(field("name", "text"))
    broken["format_version"] = 2
    assert ("schema_const", "/format_version") in codes(definition_problems(broken))


def test_a_relative_date_limit_must_be_well_formed():
    broken = single(field("when", "date", validation={"min_date": "tomorrow"}))
    assert ("schema_pattern", "/steps/0/fields/0/validation/min_date") in codes(
        definition_problems(broken)
    )


def test_duplicate_keys_across_steps():
    broken = definition([field("name", "text")], [field("name", "email")])
    assert ("duplicate_key", "/steps/1/fields/0/key") in codes(definition_problems(broken))


def test_condition_must_refer_to_an_earlier_field():
    later = single(
        field("a", "text", visible_if={"field": "b", "equals": "x"}),
        field("b", "text"),
        field(
            "c",
            "text",
            visible_if={"any": [{"field": "a", "is_filled": True}, {"field": "zz", "equals": 1}]},
        ),
    )
    found = codes(definition_problems(later))
    assert ("condition_unknown_field", "/steps/0/fields/0/visible_if/field") in found
    assert ("condition_unknown_field", "/steps/0/fields/2/visible_if/any/1/field") in found
    assert len(found) == 2


def test_options_must_be_unique():
    choice = field("c", "single_choice")
    choice["options"].append({"value": "a", "label": {"nb": "A igjen"}})
    assert ("duplicate_option", "/steps/0/fields/0/options/3/value") in codes(
        definition_problems(single(choice))
    )


def test_limits_patterns_rules_and_prefill_are_checked():
    broken = single(
        field("a", "text", validation={"min_length": 5, "max_length": 2}),
        field("b", "text", validation={"pattern": "([a-z"}),
        field("c", "number", validation={"min_length": 1}),
        field("d", "email", prefill="eid.national_id"),
        field("g", "repeating_group", min_rows=3, max_rows=2, fields=[field("x", "text")]),
    )
    found = codes(definition_problems(broken))
    assert found >= {
        ("min_greater_than_max", "/steps/0/fields/0/validation/min_length"),
        ("invalid_pattern", "/steps/0/fields/1/validation/pattern"),
        ("rule_not_for_type", "/steps/0/fields/2/validation/min_length"),
        ("prefill_not_for_type", "/steps/0/fields/3/prefill"),
        ("min_greater_than_max", "/steps/0/fields/4/min_rows"),
    }


def test_group_rows_may_refer_to_earlier_row_fields_and_not_hold_groups():
    group = field(
        "people",
        "repeating_group",
        fields=[
            field("name", "text"),
            field("age", "number", visible_if={"field": "name", "is_filled": True}),
            field("inner", "repeating_group", fields=[field("x", "text")]),
        ],
    )
    found = codes(definition_problems(single(group)))
    assert found == {("type_not_in_group", "/steps/0/fields/0/fields/2/type")}


def test_json_syntax_errors_say_where():
    with override("en"):
        data, problems = definition_parse('{"format_version": 1,\n "title": }')
    assert data is None
    assert problems[0].code == "invalid_json"
    assert "line 2" in problems[0].message


def test_a_valid_definition_has_no_problems():
    ok = clone(single(field("a", "text"), field("b", "yes_no")))
    assert definition_problems(ok) == []
