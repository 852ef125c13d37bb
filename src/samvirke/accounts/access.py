"""Who may act for which organisation, in which area of work.

Access is a role in one's own organisation, or a grant through a cooperation arrangement:
staff of the host's unit (vertskommunens enhet) act, with the roles they hold in the host
organisation, for every current participant in the arrangement's area of work. For
example, Spydeberg's PPT unit handles PPT matters for Skiptvet and Hobøl.

Grants are derived from memberships, roles and arrangements on each request, so no
per-object permission rows exist to drift out of date. They are cached on the user object
for the life of the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from samvirke.accounts.models import Membership, Role, RoleAssignment
from samvirke.organisations.models import ArrangementStatus, CooperationArrangement, Unit

_CACHE_ATTRIBUTE = "_samvirke_grants"
_OWN_CACHE_ATTRIBUTE = "_samvirke_own_organisations"
_UNITS_CACHE_ATTRIBUTE = "_samvirke_units"


@dataclass(frozen=True)
class Grant:
    """One thing a user may do: act with `role` for `organisation_id`, in every area of
    work (`area_id` is None) or in one area through the arrangement `via_arrangement_id`."""

    organisation_id: int
    role: str
    area_id: int | None = None
    via_arrangement_id: int | None = None

    def covers(self, *, organisation_id: int, area_id: int | None) -> bool:
        if self.organisation_id != organisation_id:
            return False
        return self.area_id is None or self.area_id == area_id


def _unit_ids_with_ancestors(unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit above them: a member of a sub-unit works in the
    parent unit too."""
    seen: set[int] = set()
    frontier = set(unit_ids)
    while frontier:
        seen |= frontier
        parents = Unit.objects.filter(id__in=frontier, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
        frontier = set(parents) - seen
    return seen


def grants_for(user) -> tuple[Grant, ...]:
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached

    assignments = list(
        RoleAssignment.objects.filter(user=user).values_list("organisation_id", "role")
    )
    grants: list[Grant] = [Grant(organisation_id=org, role=role) for org, role in assignments]
    roles_by_org: dict[int, set[str]] = {}
    for org, role in assignments:
        roles_by_org.setdefault(org, set()).add(role)

    unit_ids = Membership.units.through.objects.filter(membership__user=user).values_list(
        "unit_id", flat=True
    )
    direct_units = frozenset(unit_ids)
    setattr(user, _UNITS_CACHE_ATTRIBUTE, direct_units)
    my_units = _unit_ids_with_ancestors(direct_units)
    if my_units:
        today = timezone.localdate()
        arrangements = (
            CooperationArrangement.objects.filter(
                status=ArrangementStatus.ACTIVE, host_unit_id__in=my_units
            )
            .prefetch_related("participations")
            .only("id", "host_id", "area_id")
        )
        for arrangement in arrangements:
            for role in roles_by_org.get(arrangement.host_id, ()):
                for participation in arrangement.participations.all():
                    if participation.organisation_id == arrangement.host_id:
                        continue
                    if not participation.is_current(today):
                        continue
                    grants.append(
                        Grant(
                            organisation_id=participation.organisation_id,
                            role=role,
                            area_id=arrangement.area_id,
                            via_arrangement_id=arrangement.id,
                        )
                    )
    result = tuple(grants)
    setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def forget_grants(user) -> None:
    """Drop the cached grants, after the user's memberships or roles changed."""
    for attribute in (_CACHE_ATTRIBUTE, _OWN_CACHE_ATTRIBUTE, _UNITS_CACHE_ATTRIBUTE):
        if hasattr(user, attribute):
            delattr(user, attribute)


def unit_ids(user) -> frozenset[int]:
    """The units the user is a member of, exactly (not the units above them: need-to-know
    asks for the handling unit itself). Read with the grants, so cached per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _UNITS_CACHE_ATTRIBUTE, None)
    if cached is None:
        forget_grants(user)
        grants_for(user)
        cached = getattr(user, _UNITS_CACHE_ATTRIBUTE, frozenset())
    return cached


def own_organisation_ids(user) -> set[int]:
    """Organisations the user is employed by or holds a role in (cached per request)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, _OWN_CACHE_ATTRIBUTE, None)
    if cached is None:
        ids = {g.organisation_id for g in grants_for(user) if g.via_arrangement_id is None}
        ids |= set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        cached = frozenset(ids)
        setattr(user, _OWN_CACHE_ATTRIBUTE, cached)
    return set(cached)


def has_role(user, *, organisation_id: int, roles: Iterable[str] | None = None) -> bool:
    """A role held in the organisation itself (not through an arrangement)."""
    wanted = set(roles) if roles else None
    return any(
        g.organisation_id == organisation_id
        and g.via_arrangement_id is None
        and (wanted is None or g.role in wanted)
        for g in grants_for(user)
    )


def can_act_for(
    user, *, organisation_id: int, area_id: int | None = None, roles: Iterable[str] | None = None
) -> bool:
    """May the user act for the organisation in the area, with one of the roles?"""
    wanted = set(roles) if roles else None
    return any(
        g.covers(organisation_id=organisation_id, area_id=area_id)
        and (wanted is None or g.role in wanted)
        for g in grants_for(user)
    )


def acting_organisation_ids(
    user, *, area_id: int | None = None, roles: Iterable[str] | None = None
) -> set[int]:
    """Every organisation the user may act for in the area (own ones in all areas)."""
    wanted = set(roles) if roles else None
    return {
        g.organisation_id
        for g in grants_for(user)
        if (wanted is None or g.role in wanted) and (g.area_id is None or g.area_id == area_id)
    }


def grants_condition(
    user,
    *,
    roles: Iterable[str],
    organisation_field: str = "organisation_id",
    area_field: str = "area_id",
) -> Q:
    """A filter for the rows the user's grants with one of `roles` reach: rows of an
    organisation they act for, in the grant's area of work when it has one. Matches
    nothing for a user without such a grant."""
    wanted = set(roles)
    condition = Q(pk__in=[])
    for grant in grants_for(user):
        if grant.role not in wanted:
            continue
        clause = Q(**{organisation_field: grant.organisation_id})
        if grant.area_id is not None:
            clause &= Q(**{area_field: grant.area_id})
        condition |= clause
    return condition


def is_regional_coordinator(user) -> bool:
    return any(g.role == Role.REGIONAL_COORDINATOR for g in grants_for(user))


def is_administrator(user) -> bool:
    return any(
        g.role == Role.ADMINISTRATOR and g.via_arrangement_id is None for g in grants_for(user)
    )
