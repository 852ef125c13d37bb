"""Property test: for any valid definition and any submitted data, validating and
rendering never raise, and always give either cleaned answers or field errors."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samvirke.eservices.definition import definition_problems
from samvirke.eservices.engine import review_steps, step_render, step_validate, submission_validate
from samvirke.eservices.tests.strategies import submissions


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(submissions(), st.sampled_from(["nb", "nn", "sv", "en"]))
def test_validating_and_rendering_never_raise(case, language):
    form, data = case
    assert definition_problems(form) == []
    answers, errors = submission_validate(form, data=data, language=language)
    keys = {f["key"] for step in form["steps"] for f in step["fields"]}
    if errors:
        assert answers == {}
        assert all(e.code and e.message and e.target.startswith("field-") for e in errors)
    else:
        assert set(answers) <= keys
        json.dumps(answers)  # answers are JSON, ready to store
        review_steps(form, answers=answers, language=language)
    so_far: dict = {}
    for index in range(len(form["steps"])):
        step_render(form, step_index=index, language=language, answers=answers)
        outcome = step_validate(
            form, step_index=index, data=data, answers=so_far, language=language
        )
        assert outcome.complete or outcome.errors
        step_render(form, step_index=index, language=language, outcome=outcome)
        so_far = outcome.answers
