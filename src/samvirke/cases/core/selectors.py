"""The core reads of cases: which cases a staff user may see, the one filtered case list
that both the back-office inbox and the integration API use, where a submission is routed,
a case type's workflow, and where a case stands against its statutory deadline.

A staff user sees a case when they hold a handling role for the case's owning municipality
in the case's area of work (in their own organisation, or through a cooperation
arrangement's host unit) and the case is handled by one of their own organisations. So
Spydeberg's PPT unit sees a Skiptvet citizen's PPT referral that it handles, while
Skiptvet's own case handlers do not see a case handled by Spydeberg, and Askim sees none
of it. Everyone else gets a 404.

**Need to know.** A case whose case type or form offering is confidential (child welfare,
health and care, PPT, social services) is seen, in addition, only by the staff of its
handling unit, by holders of the roles the case type names in the handling (or owning)
organisation,
and by someone who broke the glass for that one case (a time-limited `EmergencyAccess`,
see `handling.services.case_emergency_access_open`). `need_to_know_q` is that rule as a
database filter and `need_to_know_allows` the same rule for one case; `cases_for_staff`,
and so the inbox, the case page, every handling action, search and the API, apply it.
Anyone else gets the same 404 as for another municipality's case.

Other apps read cases through here (and `cases.models`), not through the helper modules
(`workflow`, `numbering`) beside it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, TextChoices
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samvirke.accounts.access import grants_condition, grants_for, own_organisation_ids, unit_ids
from samvirke.accounts.models import Role
from samvirke.cases.core.workflow import Workflow
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.models import (
    Case,
    CaseType,
    EmergencyAccess,
    Phase,
    RoutingRule,
    ServiceOffering,
)
from samvirke.eservices.engine.visibility import condition_holds
from samvirke.organisations.models import ArrangementStatus, CooperationArrangement, Unit

HANDLER_ROLES = frozenset({Role.CASE_HANDLER, Role.ADMINISTRATOR})


def cases_for_staff(user, *, roles=HANDLER_ROLES) -> QuerySet[Case]:
    return cases_in_reach(user, roles=roles).filter(need_to_know_q(user))


def cases_in_reach(user, *, roles=HANDLER_ROLES) -> QuerySet[Case]:
    """The cases the user's grants reach *before* the need-to-know rule: only for breaking
    the glass (which must find a confidential case within the user's own tenant) and for
    checks that explain the rule; every other read uses `cases_for_staff`."""
    return Case.objects.filter(
        grants_condition(user, roles=roles),
        handling_organisation_id__in=own_organisation_ids(user),
    )


# ---------------------------------------------------------------- need to know


def confidential_q() -> Q:
    """Cases whose case type or form offering is marked confidential."""
    return Q(case_type__is_confidential=True) | Q(offering__is_confidential=True)


def is_confidential(case: Case) -> bool:
    offering = case.offering
    return bool(case.case_type.is_confidential or (offering and offering.is_confidential))


def _named_roles_by_organisation(user) -> dict[int, set[str]]:
    """The roles the user holds in each organisation in their own right (arrangement
    grants do not count: the named roles are an organisation's own)."""
    roles: dict[int, set[str]] = {}
    for grant in grants_for(user):
        if grant.via_arrangement_id is None:
            roles.setdefault(grant.organisation_id, set()).add(grant.role)
    return roles


def _role_named_q(role: str) -> Q:
    # `confidential_roles` is a JSON list of role codes. JSON containment is not portable
    # (SQLite has none), so match the quoted code in the list's text: role codes are
    # distinct words, and the quotes keep "reader" from matching inside another code.
    return Q(case_type__confidential_roles__icontains=f'"{role}"')


def _emergency_case_ids(user, now: datetime.datetime):
    return EmergencyAccess.objects.filter(user=user, expires_at__gt=now).values("case_id")


def need_to_know_q(user, *, now: datetime.datetime | None = None) -> Q:
    """The need-to-know rule as a filter (see the module docstring): every case that is
    not confidential, and the confidential ones handled by one of the user's units, or
    handled or owned by an organisation where they hold a role the case type names (the
    owner counts for systems; a person reaches only cases their own organisation
    handles, `cases_in_reach`), or opened to them by breaking the glass until that access
    expires. Costs no query of its own: the units and roles come with the user's cached
    grants, the emergency accesses as a subquery.

    Not a `rules` predicate on purpose: `has_perm` answers yes to a superuser for every
    permission, which would step around need to know."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    now = now or timezone.now()
    allowed = ~confidential_q()
    units = unit_ids(user)
    if units:
        allowed |= Q(handling_unit_id__in=sorted(units))
    for organisation_id, roles in sorted(_named_roles_by_organisation(user).items()):
        named = Q(pk__in=[])
        for role in sorted(roles):
            named |= _role_named_q(role)
        allowed |= (
            Q(handling_organisation_id=organisation_id) | Q(organisation_id=organisation_id)
        ) & named
    allowed |= Q(pk__in=_emergency_case_ids(user, now))
    return allowed


def need_to_know_allows(
    user, case: Case, *, emergency: bool = True, now: datetime.datetime | None = None
) -> bool:
    """The need-to-know rule for one case, in Python (webhooks ask it of a subscription's
    owner, with `emergency=False`: breaking the glass is for a person, not a system).
    It only narrows: whether the user reaches the case at all is `cases_in_reach`."""
    if not is_confidential(case):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if case.handling_unit_id in unit_ids(user):
        return True
    named = set(case.case_type.confidential_roles or ())
    held = _named_roles_by_organisation(user)
    for organisation_id in (case.handling_organisation_id, case.organisation_id):
        if named & held.get(organisation_id, set()):
            return True
    if not emergency:
        return False
    return EmergencyAccess.objects.filter(
        user=user, case_id=case.pk, expires_at__gt=now or timezone.now()
    ).exists()


def case_for_staff(user, pk) -> Case:
    """The case, or 404 when the user may not see it."""
    return get_object_or_404(cases_for_staff(user), pk=pk)


# ---------------------------------------------------------------- the case list


def _text_search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """A case number (2026/00012, with or without the journal entry's -n) finds that case;
    digits alone match a sequence number or the title; other words the title."""
    text = text.strip()
    number = re.fullmatch(r"(\d{4})\s*/\s*0*(\d+)(?:-\d+)?", text)
    if number:
        return cases.filter(year=int(number[1]), sequence=int(number[2]))
    if text.isdigit():
        return cases.filter(Q(sequence=int(text)) | Q(title__icontains=text))
    return cases.filter(title__icontains=text)


def cases_filter(
    cases: QuerySet[Case],
    *,
    unit: int | None = None,
    organisation: int | None = None,
    status: str | None = None,
    not_closed: bool = False,
    case_types: Iterable[CaseType] | None = None,
    deadline: str | None = None,
    assignee: Any = None,
    unassigned: bool = False,
    form_id: int | None = None,
    form_slug: str | None = None,
    text: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Case]:
    """The cases among `cases` (already narrowed to what the reader may see, e.g. by
    `cases_for_staff`) that match the filters the back-office inbox and the integration API
    offer; a filter left out filters nothing. `not_closed` and `deadline` ask the case types
    (`case_types`, all of them when not given) which statuses have which phase."""
    if unit is not None:
        cases = cases.filter(handling_unit_id=unit)
    if organisation is not None:
        cases = cases.filter(organisation_id=organisation)
    if not_closed:
        cases = cases.exclude(phase_q(Phase.CLOSED, case_types=case_types))
    if status:
        cases = cases.filter(status=status)
    if deadline:
        cases = cases.filter(deadline_state_q(deadline, case_types=case_types))
    if assignee is not None:
        cases = cases.filter(assignee=assignee)
    if unassigned:
        cases = cases.filter(assignee__isnull=True)
    if form_id is not None:
        cases = cases.filter(offering__form_id=form_id)
    if form_slug:
        cases = cases.filter(offering__form__slug=form_slug)
    if text:
        cases = _text_search(cases, text)
    if updated_since is not None:
        cases = cases.filter(updated_at__gte=updated_since)
    return cases


# ---------------------------------------------------------------- routing
# For a municipality's offering, the active routing rules are tried by priority; the first
# whose form, area of work and condition on the answers match decides. A rule may name a
# unit, or a cooperation arrangement: then the case goes to the arrangement's host unit (or
# the rule's unit in the host) and the municipality stays the owner, provided it takes part
# in the arrangement today. Without a matching rule, the offering's responsible unit
# handles the case; without one, the host unit of an active arrangement in the form's area
# that the municipality takes part in.


@dataclass(frozen=True)
class Route:
    handling_organisation_id: int
    handling_unit: Unit
    via_arrangement: CooperationArrangement | None = None


class NoRoute(ValidationError):
    pass


def _takes_part(arrangement: CooperationArrangement, organisation_id: int) -> bool:
    if arrangement.status != ArrangementStatus.ACTIVE or arrangement.host_unit_id is None:
        return False
    if arrangement.host_id == organisation_id:
        return True
    today = timezone.localdate()
    return any(
        p.organisation_id == organisation_id and p.is_current(today)
        for p in arrangement.participations.all()
    )


def _through(arrangement: CooperationArrangement, unit: Unit | None = None) -> Route:
    unit = unit or arrangement.host_unit
    assert unit is not None, "an arrangement in force has a host unit"
    return Route(
        handling_organisation_id=unit.organisation_id,
        handling_unit=unit,
        via_arrangement=arrangement,
    )


def route_for(offering: ServiceOffering, answers: dict) -> Route:
    organisation_id = offering.organisation_id
    area_id = offering.form.area_id
    rules = (
        RoutingRule.objects.filter(organisation_id=organisation_id, is_active=True)
        .select_related("target_unit", "via_arrangement__host_unit")
        .prefetch_related("via_arrangement__participations")
        .order_by("priority", "id")
    )
    for rule in rules:
        if rule.form_id is not None and rule.form_id != offering.form_id:
            continue
        if rule.area_id is not None and rule.area_id != area_id:
            continue
        if rule.condition and not condition_holds(rule.condition, answers):
            continue
        if rule.via_arrangement is not None:
            if not _takes_part(rule.via_arrangement, organisation_id):
                continue  # the participation has ended: try the next rule
            return _through(rule.via_arrangement, rule.target_unit)
        target = rule.target_unit
        assert target is not None, "a rule without an arrangement names a unit (clean)"
        return Route(handling_organisation_id=target.organisation_id, handling_unit=target)
    if offering.responsible_unit is not None:
        unit = offering.responsible_unit
        return Route(handling_organisation_id=unit.organisation_id, handling_unit=unit)
    arrangements = (
        CooperationArrangement.objects.filter(area_id=area_id, status=ArrangementStatus.ACTIVE)
        .exclude(host_unit=None)
        .select_related("host_unit")
        .prefetch_related("participations")
        .order_by("id")
    )
    for arrangement in arrangements:
        if _takes_part(arrangement, organisation_id):
            return _through(arrangement)
    raise NoRoute(
        _("No unit is set up to handle this service. Please contact the municipality."),
        code=CasesErrorCode.NO_ROUTE,
    )


# ---------------------------------------------------------------- workflow


def workflow_of(case_type) -> Workflow:
    cached = getattr(case_type, "_workflow", None)
    if cached is None or cached.definition is not case_type.workflow:
        cached = Workflow(case_type.workflow)
        case_type._workflow = cached
    return cached


# ---------------------------------------------------------------- deadlines
# Statutory deadlines (saksbehandlingsfrist). A case is *overdue* when its deadline has
# passed while it is neither decided nor closed; a case waiting for the applicant is
# *paused* (the clock stands still, see `services.case_status_move`); *due soon* is seven
# days or fewer left. Decided and closed cases, and cases without a deadline, have no
# deadline state to show. The same rules exist twice, on purpose: `deadline_state` for one
# case in Python, and `deadline_state_q` for filtering many cases in the database.
# Statuses are data (each case type names its own), so the database filter asks the case
# types which of their statuses have which phase.

DUE_SOON_DAYS = 7


class DeadlineState(TextChoices):
    OK = "ok", gettext_lazy("On time")
    DUE_SOON = "due_soon", gettext_lazy("Due soon")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    PAUSED = "paused", gettext_lazy("Paused")
    NONE = "none", gettext_lazy("No deadline")


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
