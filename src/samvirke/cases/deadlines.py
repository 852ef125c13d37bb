"""Statutory deadlines (saksbehandlingsfrist): where a case stands against its deadline.

A case is *overdue* when its deadline has passed while it is neither decided nor closed;
a case waiting for the applicant is *paused* (the clock stands still, see
`services.case_status_move`); *due soon* is seven days or fewer left. Decided and closed
cases, and cases without a deadline, have no deadline state to show.

The same rules exist twice, on purpose: `deadline_state` for one case in Python, and
`deadline_state_q` for filtering an inbox of many cases in the database. Statuses are
data (each case type names its own), so the database filter asks the case types which of
their statuses have which phase.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.cases.models import Case, CaseType, Phase
from samvirke.cases.workflow import workflow_of

DUE_SOON_DAYS = 7


class DeadlineState(TextChoices):
    OK = "ok", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Paused")
    NONE = "none", _("No deadline")


def deadline_state(case: Case, *, today: datetime.date | None = None) -> DeadlineState:
    """ok / due soon (7 days or fewer) / overdue / paused for an open case; "none" for a
    decided or closed case and a case without a deadline."""
    phase = workflow_of(case.case_type).phase(case.status)
    if phase == Phase.PAUSED:
        return DeadlineState.PAUSED
    if phase != Phase.OPEN or case.deadline is None:
        return DeadlineState.NONE
    today = today or timezone.localdate()
    if case.deadline < today:
        return DeadlineState.OVERDUE
    if case.deadline <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return DeadlineState.DUE_SOON
    return DeadlineState.OK


def days_left(case: Case, *, today: datetime.date | None = None) -> int | None:
    """Calendar days until the deadline (negative when overdue); None without one."""
    if case.deadline is None:
        return None
    return (case.deadline - (today or timezone.localdate())).days


def phase_q(*phases: str, case_types=None) -> Q:
    """Cases whose status has one of the phases, over every case type's workflow."""
    condition = Q(pk__in=[])
    types = case_types if case_types is not None else CaseType.objects.only("id", "workflow")
    for case_type in types:
        workflow = workflow_of(case_type)
        keys = [key for key, status in workflow.statuses.items() if status.phase in phases]
        if keys:
            condition |= Q(case_type_id=case_type.pk, status__in=keys)
    return condition


def deadline_state_q(state: str, *, today: datetime.date | None = None, case_types=None) -> Q:
    """The database filter for cases in a deadline state (see `deadline_state`)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    if state == DeadlineState.PAUSED:
        return phase_q(Phase.PAUSED, case_types=case_types)
    is_open = phase_q(Phase.OPEN, case_types=case_types)
    if state == DeadlineState.OVERDUE:
        return is_open & Q(deadline__lt=today)
    if state == DeadlineState.DUE_SOON:
        return is_open & Q(deadline__gte=today, deadline__lte=soon)
    if state == DeadlineState.OK:
        return is_open & Q(deadline__gt=soon)
    if state == DeadlineState.NONE:
        return ~phase_q(Phase.OPEN, Phase.PAUSED, case_types=case_types) | (
            is_open & Q(deadline__isnull=True)
        )
    raise ValueError(f"unknown deadline state {state!r}")
