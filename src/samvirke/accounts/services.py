"""Every change to accounts: staff users, memberships, roles and citizen identities."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from samvirke.accounts.access import forget_grants
from samvirke.accounts.models import CitizenIdentity, Membership, Role, RoleAssignment, User, UserKind
from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.organisations.models import Organisation, Unit


def _require(actor, permission: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(permission, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def staff_user_create(
    *,
    actor=None,
    username: str,
    full_name: str,
    email: str,
    organisation: Organisation,
    password: str | None = None,
    units: Iterable[Unit] = (),
    roles: Iterable[str] = (),
    title: str = "",
) -> User:
    _require(actor, "accounts.manage_users", organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That user name is taken.")}, code="username_taken")
    user = User(username=username, full_name=full_name, email=email, kind=UserKind.STAFF)
    user.set_password(password or get_random_string(32))
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, title=title)
    unit_list = list(units)
    for unit in unit_list:
        if unit.organisation_id != organisation.id:
            raise ValidationError(
                {"units": _("Units must belong to the user's organisation.")},
                code="unit_other_organisation",
            )
    membership.units.set(unit_list)
    for role in roles:
        RoleAssignment.objects.create(user=user, organisation=organisation, role=Role(role))
    audit_record(
        action=AuditAction.CREATE, obj=user, actor=actor, acting_for=organisation,
        details={"roles": sorted(str(r) for r in roles), "units": [u.pk for u in unit_list]},
    )
    return user


@transaction.atomic
def role_assign(*, actor=None, user: User, organisation: Organisation, role: str) -> RoleAssignment:
    _require(actor, "accounts.manage_users", organisation)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, organisation=organisation, role=Role(role)
    )
    if created:
        audit_record(action=AuditAction.UPDATE, obj=user, actor=actor, acting_for=organisation,
                     changes={"roles": [None, role]})
    forget_grants(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor=None, user: User, organisation: Organisation, role: str) -> None:
    _require(actor, "accounts.manage_users", organisation)
    deleted, _count = RoleAssignment.objects.filter(
        user=user, organisation=organisation, role=role
    ).delete()
    if deleted:
        audit_record(action=AuditAction.UPDATE, obj=user, actor=actor, acting_for=organisation,
                     changes={"roles": [role, None]})
    forget_grants(user)


@transaction.atomic
def membership_set_units(*, actor=None, membership: Membership, units: Iterable[Unit]) -> Membership:
    _require(actor, "accounts.manage_users", membership.organisation)
    unit_list = list(units)
    if any(u.organisation_id != membership.organisation_id for u in unit_list):
        raise ValidationError(
            {"units": _("Units must belong to the user's organisation.")},
            code="unit_other_organisation",
        )
    before = sorted(membership.units.values_list("id", flat=True))
    membership.units.set(unit_list)
    after = sorted(u.id for u in unit_list)
    if before != after:
        audit_record(action=AuditAction.UPDATE, obj=membership.user, actor=actor,
                     acting_for=membership.organisation, changes={"units": [before, after]})
    forget_grants(membership.user)
    return membership


@transaction.atomic
def citizen_login_from_eid(*, provider: str, national_id: str, full_name: str, acr: str) -> User:
    """Finds or creates the citizen with this national identity number after a verified
    eID login, and keeps their name current. The identity number is stored but never
    written to the audit event or logs."""
    identity = (
        CitizenIdentity.objects.select_for_update().select_related("user")
        .filter(national_id=national_id).first()
    )
    if identity is None:
        user = User(username=f"citizen-{get_random_string(20).lower()}", kind=UserKind.CITIZEN,
                    full_name=full_name)
        user.set_unusable_password()
        user.save()
        identity = CitizenIdentity.objects.create(
            user=user, national_id=national_id, provider=provider, last_acr=acr
        )
        audit_record(action=AuditAction.CREATE, obj=user, actor=user,
                     details={"provider": provider})
    else:
        user = identity.user
        if user.full_name != full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        identity.provider = provider
        identity.last_acr = acr
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["provider", "last_acr", "last_login_at"])
    audit_record(action=AuditAction.LOGIN, obj=user, actor=user,
                 details={"provider": provider, "acr": acr})
    return user


def citizen_national_id_read(*, actor, citizen: User, purpose: str) -> str:
    """Reads a citizen's national identity number, leaving an audit event: a read of
    personal data. The citizen may read their own; staff need a purpose."""
    identity = CitizenIdentity.objects.get(user=citizen)
    audit_record(action=AuditAction.READ, obj=citizen, actor=actor,
                 details={"field": "national_id", "purpose": purpose})
    return identity.national_id
