"""What the API tells a user about themselves: organisations, roles and the grants they
hold through cooperation arrangements (see `samvirke.accounts.access`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from samvirke.accounts import access
from samvirke.accounts.models import Membership
from samvirke.organisations import selectors as organisation_selectors


@dataclass
class MyOrganisation:
    organisation: object
    roles: list[str]
    title: str = ""
    units: list[object] = field(default_factory=list)


@dataclass
class MyGrant:
    organisation: object
    role: str
    area: object
    arrangement: object


@dataclass
class Me:
    user: object
    token: object | None
    organisations: list[MyOrganisation]
    arrangement_grants: list[MyGrant]


def me_describe(*, user, token=None) -> Me:
    grants = access.grants_for(user)
    memberships = {
        m.organisation_id: m for m in Membership.objects.filter(user=user).prefetch_related("units")
    }
    own_ids = access.own_organisation_ids(user)
    grant_org_ids = {g.organisation_id for g in grants}
    organisations = {
        o.id: o
        for o in organisation_selectors.organisation_list().filter(id__in=own_ids | grant_org_ids)
    }
    areas = {a.id: a for a in organisation_selectors.area_list()}
    arrangement_ids = {g.via_arrangement_id for g in grants if g.via_arrangement_id}
    arrangements = (
        {
            a.id: a
            for a in organisation_selectors.arrangement_list(user=user).filter(
                id__in=arrangement_ids
            )
        }
        if arrangement_ids
        else {}
    )

    mine = []
    for organisation_id in sorted(own_ids, key=lambda i: organisations[i].name):
        membership = memberships.get(organisation_id)
        mine.append(
            MyOrganisation(
                organisation=organisations[organisation_id],
                roles=sorted(
                    {
                        g.role
                        for g in grants
                        if g.organisation_id == organisation_id and g.via_arrangement_id is None
                    }
                ),
                title=membership.title if membership else "",
                units=list(membership.units.all()) if membership else [],
            )
        )
    via = [
        MyGrant(
            organisation=organisations[g.organisation_id],
            role=g.role,
            area=areas.get(g.area_id),
            arrangement=arrangements.get(g.via_arrangement_id),
        )
        for g in grants
        if g.via_arrangement_id is not None and g.via_arrangement_id in arrangements
    ]
    via.sort(key=lambda g: (g.arrangement.name, g.organisation.name, g.role))
    return Me(user=user, token=token, organisations=mine, arrangement_grants=via)
