"""Routing submissions to the unit that handles them, by rules kept as data.

For a municipality's offering, the active routing rules are tried by priority; the first
whose form, area of work and condition on the answers match decides. A rule may name a
unit, or a cooperation arrangement: then the case goes to the arrangement's host unit (or
the rule's unit in the host) and the municipality stays the owner, provided it takes part
in the arrangement today. Without a matching rule, the offering's responsible unit
handles the case; without one, the host unit of an active arrangement in the form's area
that the municipality takes part in."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.cases.models import RoutingRule, ServiceOffering
from samvirke.eservices.engine.visibility import condition_holds
from samvirke.organisations.models import ArrangementStatus, CooperationArrangement, Unit


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
        return Route(
            handling_organisation_id=rule.target_unit.organisation_id,
            handling_unit=rule.target_unit,
        )
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
        code="no_route",
    )
