"""The processing deadline of a building application (saksbehandlingsfrist).

Plan- og bygningsloven § 21-7: an application is decided within 12 weeks; within
3 weeks when the project needs no dispensation and no neighbour objected (second
paragraph). The platform's reading, from the form's answers and the neighbours' answers:

- 3 weeks (21 days) when no neighbour objected through the personal link, the applicant
  did not report objections received otherwise (`objections_received` is not yes), and
  the applicant answered no to `needs_dispensation`;
- otherwise 12 weeks (84 days), also when the form does not ask about dispensation: the
  3-week rule must be shown to apply, never assumed.

The deadline runs from the day the municipality receives the application, that is when
the case opens after the neighbours' window."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from samvirke.neighbours.models import Answer, NeighbourNotification

TWELVE_WEEKS = 84
THREE_WEEKS = 21


@dataclass(frozen=True)
class DeadlineRule:
    days: int
    reason: str


def processing_deadline_for(notification: NeighbourNotification) -> DeadlineRule:
    answers = notification.submission.answers
    objected = notification.neighbours.filter(answer=Answer.OBJECTION).exists()
    if objected or answers.get("objections_received") is True:
        return DeadlineRule(TWELVE_WEEKS, str(_("Neighbours have objected (pbl. § 21-7).")))
    if answers.get("needs_dispensation") is not False:
        return DeadlineRule(
            TWELVE_WEEKS,
            str(_("The application needs, or may need, a dispensation (pbl. § 21-7).")),
        )
    return DeadlineRule(
        THREE_WEEKS,
        str(_("No objections and no dispensation: three weeks (pbl. § 21-7 second paragraph).")),
    )
