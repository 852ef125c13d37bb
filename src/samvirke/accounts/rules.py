"""Permissions as `rules` predicates over organisation roles and arrangement grants.

Object permissions are checked with `user.has_perm("organisations.change_arrangement",
arrangement)`, by services through `samvirke.core.permissions.require_permission`; the
predicates below read the grants derived in `samvirke.accounts.access`. Registered when
the accounts app is ready.
"""

import rules

from samvirke.accounts import access
from samvirke.accounts.models import Role

MANAGE_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR, Role.REGIONAL_COORDINATOR)


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(access.own_organisation_ids(user))


@rules.predicate
def is_regional_coordinator(user) -> bool:
    return access.is_regional_coordinator(user)


@rules.predicate
def is_administrator(user) -> bool:
    return access.is_administrator(user)


@rules.predicate
def manages_organisation(user, organisation) -> bool:
    if organisation is None:
        return False
    return access.has_role(
        user, organisation_id=organisation.pk, roles=(Role.ADMINISTRATOR, Role.COORDINATOR)
    )


@rules.predicate
def administers_organisation(user, organisation) -> bool:
    if organisation is None:
        return False
    return access.has_role(user, organisation_id=organisation.pk, roles=(Role.ADMINISTRATOR,))


@rules.predicate
def manages_arrangement(user, arrangement) -> bool:
    """Coordinators and administrators of the host manage an arrangement."""
    if arrangement is None:
        return False
    return access.has_role(
        user, organisation_id=arrangement.host_id, roles=(Role.ADMINISTRATOR, Role.COORDINATOR)
    )


@rules.predicate
def manages_unit(user, unit) -> bool:
    if unit is None:
        return False
    return access.has_role(user, organisation_id=unit.organisation_id, roles=(Role.ADMINISTRATOR,))


@rules.predicate
def may_create_arrangements(user) -> bool:
    return any(
        g.role in MANAGE_ROLES and g.via_arrangement_id is None for g in access.grants_for(user)
    )


rules.add_perm("organisations.view_register", is_staff_member)
rules.add_perm("organisations.add_cooperationarrangement", may_create_arrangements)
rules.add_perm(
    "organisations.change_cooperationarrangement", is_regional_coordinator | manages_arrangement
)
rules.add_perm("organisations.change_organisation", is_regional_coordinator | manages_organisation)
rules.add_perm("organisations.add_organisation", is_regional_coordinator)
rules.add_perm("organisations.change_unit", is_regional_coordinator | manages_unit)
rules.add_perm("organisations.change_areaofwork", is_regional_coordinator)
rules.add_perm("audit.view_auditevent", is_administrator | is_regional_coordinator)
rules.add_perm("accounts.manage_users", administers_organisation)
