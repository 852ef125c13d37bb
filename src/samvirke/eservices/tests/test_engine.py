"""The engine: conditional visibility, steps, review, prefill and the rendered HTML."""

from __future__ import annotations

import re

import pytest

from samvirke.eservices.demo import library_documents
from samvirke.eservices.engine import (
    answers_prune,
    prefill_answers,
    review_steps,
    step_render,
    step_validate,
    submission_validate,
)
from samvirke.eservices.engine.visibility import condition_holds

from .definitions import definition, field, single


def test_conditions():
    answers = {"kids": True, "count": 3, "colour": "b", "many": ["a", "c"], "empty": ""}
    assert condition_holds({"field": "kids", "equals": True}, answers)
    assert not condition_holds({"field": "kids", "equals": 1}, answers)  # a boolean is not 1
    assert condition_holds({"field": "count", "equals": 3.0}, answers)
    assert condition_holds({"field": "colour", "not_equals": "a"}, answers)
    assert condition_holds({"field": "colour", "in": ["a", "b"]}, answers)
    assert condition_holds({"field": "many", "equals": "c"}, answers)
    assert condition_holds({"field": "empty", "is_filled": False}, answers)
    assert condition_holds({"field": "missing", "is_filled": False}, answers)
    assert condition_holds(
        {
            "all": [
                {"field": "kids", "equals": True},
                {"any": [{"field": "count", "equals": 9}, {"field": "colour", "equals": "b"}]},
            ]
        },
        answers,
    )
    assert not condition_holds(
        {"all": [{"field": "kids", "equals": True}, {"field": "count", "equals": 9}]}, answers
    )


CHILDREN = single(
    field("has_children", "yes_no", required=True),
    field(
        "children", "number", required=True, visible_if={"field": "has_children", "equals": True}
    ),
)


def test_hidden_fields_are_neither_validated_nor_kept():
    outcome = step_validate(CHILDREN, step_index=0, data={"has_children": "no", "children": "x"})
    assert outcome.errors == [] and outcome.answers == {"has_children": False}
    assert [o.field["key"] for o in outcome.fields] == ["has_children"]
    outcome = step_validate(CHILDREN, step_index=0, data={"has_children": "yes", "children": ""})
    assert [e.code for e in outcome.errors] == ["required"]


def test_a_field_revealed_by_this_submission_is_asked_before_it_complains():
    data = {"_shown": "has_children", "has_children": "yes"}
    outcome = step_validate(CHILDREN, step_index=0, data=data)
    assert outcome.errors == [] and not outcome.complete
    html = step_render(CHILDREN, step_index=0, language="nb", outcome=outcome)
    assert 'name="children"' in html


def test_changing_an_earlier_answer_drops_hidden_later_answers():
    form = definition(
        [field("has_children", "yes_no")],
        [field("children", "number", visible_if={"field": "has_children", "equals": True})],
    )
    answers = {"has_children": True, "children": 2}
    outcome = step_validate(form, step_index=0, data={"has_children": "no"}, answers=answers)
    assert outcome.answers == {"has_children": False}
    assert answers_prune(form, {"has_children": False, "children": 2}) == {"has_children": False}


def test_steps_keep_other_steps_answers():
    form = definition([field("a", "text", required=True)], [field("b", "text", required=True)])
    first = step_validate(form, step_index=0, data={"a": "x"})
    assert first.complete
    second = step_validate(form, step_index=1, data={"b": "y"}, answers=first.answers)
    assert second.complete and second.answers == {"a": "x", "b": "y"}
    answers, errors = submission_validate(form, data={"a": "x"})
    assert answers == {} and [e.key for e in errors] == ["b"]


def test_error_summary_links_and_aria():
    form = single(
        field(
            "name", "text", required=True, help={"nb": "Fornavn og etternavn", "en": "Full name"}
        ),
        field("colour", "single_choice", required=True),
        field("addr", "address", required=True),
    )
    outcome = step_validate(form, step_index=0, data={}, language="en")
    html = step_render(form, step_index=0, language="en", outcome=outcome)
    assert 'class="ds-error-summary"' in html
    for target in ("field-name", "field-colour", "field-addr-street"):
        assert f'href="#{target}"' in html
        assert f'id="{target}"' in html
    name_input = re.search(r'<input[^>]*id="field-name"[^>]*>', html).group(0)
    assert 'aria-describedby="field-name-help field-name-error"' in name_input
    assert 'aria-invalid="true"' in name_input
    assert '<fieldset class="ds-fieldset" id="field-colour"' in html
    assert "<legend" in html and "This field is required." in html
    assert "<script" not in html


def test_labels_follow_the_language_with_bokmal_fallback():
    form = single(
        field("a", "text", label={"nb": "Navn", "en": "Name"}),
        field("b", "text", label={"nb": "Bare bokmål"}),
    )
    assert ">Name" in step_render(form, step_index=0, language="en")
    nn = step_render(form, step_index=0, language="nn")
    assert ">Navn" in nn and ">Bare bokmål" in nn


def test_add_another_row_without_javascript():
    group = field(
        "kids", "repeating_group", max_rows=3, fields=[field("name", "text", required=True)]
    )
    form = single(group)
    html = step_render(form, step_index=0, language="nb")
    assert 'name="kids.0.name"' in html and 'name="kids.1.name"' not in html
    assert 'name="_action" value="_add:kids"' in html
    data = {"kids.rows": "1", "kids.0.name": "Ada", "_action": "_add:kids"}
    outcome = step_validate(form, step_index=0, data=data)
    assert not outcome.complete and outcome.errors == []
    html = step_render(form, step_index=0, language="nb", outcome=outcome, action="_add:kids")
    assert 'value="Ada"' in html and 'name="kids.1.name"' in html
    # removing the first row renumbers the rest
    data = {
        "kids.rows": "2",
        "kids.0.name": "Ada",
        "kids.1.name": "Bo",
        "_action": "_remove:kids.0",
    }
    outcome = step_validate(form, step_index=0, data=data)
    assert outcome.answers == {"kids": [{"name": "Bo"}]} and not outcome.complete


def test_review_lists_visible_answers_with_change_links():
    form = definition(
        [
            field("has_children", "yes_no"),
            field("children", "number", visible_if={"field": "has_children", "equals": True}),
        ],
        [
            field(
                "colour",
                "single_choice",
                options=[{"value": "r", "label": {"nb": "Rød", "en": "Red"}}],
            )
        ],
    )
    steps = review_steps(form, answers={"has_children": False, "colour": "r"}, language="en")
    assert [s.title for s in steps] == ["Step 1", "Step 2"]
    assert [(i.label, i.value) for i in steps[0].items] == [("Has_children", "No")]
    assert [(i.label, i.value, i.field_id) for i in steps[1].items] == [
        ("Colour", "Red", "field-colour")
    ]
    from django.template.loader import render_to_string

    html = render_to_string(
        "eservices/engine/review.html", {"steps": steps, "change_url": "/p/?step="}
    )
    assert 'href="/p/?step=1#field-colour"' in html


def test_prefill_from_eid():
    form = next(d for d in library_documents() if d["slug"] == "byggesoknad")["definition"]
    answers = prefill_answers(form, name="Kari Nordmann", national_id="01818512345")
    assert answers == {"applicant_name": "Kari Nordmann", "applicant_national_id": "01818512345"}
    html = step_render(form, step_index=0, language="nb", answers=answers)
    assert 'value="Kari Nordmann"' in html and 'autocomplete="name"' in html
    assert prefill_answers(form) == {}


def test_the_building_application_end_to_end():
    form = next(d for d in library_documents() if d["slug"] == "byggesoknad")["definition"]
    data = {
        "applicant_name": "Kari Nordmann",
        "applicant_national_id": "14838512345",
        "applicant_email": "kari@example.no",
        "on_behalf_of_company": "no",
        "property.municipality": "0124",
        "property.gnr": "12",
        "property.bnr": "3",
        "location.lat": "59.58",
        "location.lon": "11.16",
        "project_type": "change_of_use",
        "description": "Bruksendring fra lager til bolig i første etasje.",
        "neighbours.rows": "1",
        "neighbours.0.name": "Ola",
        "neighbours.0.property.municipality": "0124",
        "neighbours.0.property.gnr": "12",
        "neighbours.0.property.bnr": "4",
        "needs_dispensation": "no",
    }
    import datetime as dt

    from samvirke.accounts.national_id import synthetic

    data["applicant_national_id"] = synthetic(dt.date(1985, 3, 14), 100)
    _, errors = submission_validate(form, data=data)
    assert [e.key for e in errors] == ["drawings", "site_plan"]
    assert "floor_area" not in {e.key for e in errors}  # hidden for a change of use


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
def test_every_step_of_the_shipped_forms_renders_in_every_language(language):
    for document in library_documents():
        form = document["definition"]
        for index in range(len(form["steps"])):
            html = step_render(form, step_index=index, language=language)
            assert "<label" in html or "<legend" in html
            empty = step_validate(form, step_index=index, data={}, language=language)
            html = step_render(form, step_index=index, language=language, outcome=empty)
            for error in empty.errors:
                assert f'href="#{error.target}"' in html and f'id="{error.target}"' in html
