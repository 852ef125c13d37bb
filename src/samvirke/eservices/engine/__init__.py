"""The form engine: render and validate e-service forms defined as data, on the server.

The API for views (submission views call these; none of them touches the database):

- `prefill_answers(definition, name=, national_id=)`: answers from the eID login.
- `step_validate(definition, step_index=, data=, files=, answers=, language=)`: reads a
  posted step; returns a `StepOutcome` with `.complete`, `.errors` and the new `.answers`.
- `step_render(definition, step_index=, language=, outcome=|answers=, action=)`: the
  step's HTML (error summary and fields) to put inside the view's own `<form>`.
- `step_titles(definition, language=)`: the steps a citizen goes through, the review
  page (`REVIEW_STEP_TITLE`) last; a page's "Step n of m" counts them.
- `review_steps(definition, answers=, language=)` and the template
  `eservices/engine/review.html` (context: `steps`, `change_url`): the review page.
- `submission_validate(definition, data=, files=, language=)`: a whole submission at once.
- `answers_prune(definition, answers)`: drops answers that other answers hide.
"""

from samvirke.eservices.engine.rendering import (
    REVIEW_STEP_TITLE,
    review_steps,
    step_render,
    step_titles,
)
from samvirke.eservices.engine.text import translated
from samvirke.eservices.engine.validation import (
    FieldOutcome,
    StepOutcome,
    answers_prune,
    prefill_answers,
    step_validate,
    submission_validate,
)

__all__ = [
    "REVIEW_STEP_TITLE",
    "FieldOutcome",
    "StepOutcome",
    "answers_prune",
    "prefill_answers",
    "review_steps",
    "step_render",
    "step_titles",
    "step_validate",
    "submission_validate",
    "translated",
]
