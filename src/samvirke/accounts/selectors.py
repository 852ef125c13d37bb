"""Reading staff accounts: the organisations an administrator manages staff for, that
organisation's staff (with units, roles, second factor and lockout state) and one of them,
and for the sign-in pages the staff user a half-login is for and the authenticator a
session is setting up.

The staff-management reads take the acting administrator and reach only organisations
they administer, so the screens answer 404 for anything else (they do not reveal what
exists elsewhere)."""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts import access
from samvirke.accounts.models import Membership, Role, RoleAssignment, User, UserKind
from samvirke.organisations.models import Organisation

# --- staff management, scoped to what the acting administrator may see -------------------


def administered_organisations(actor) -> list[Organisation]:
    """Organisations in which the actor holds the administrator role themselves."""
    ids = {
        g.organisation_id
        for g in access.grants_for(actor)
        if g.role == Role.ADMINISTRATOR and g.via_arrangement_id is None
    }
    return list(Organisation.objects.filter(id__in=ids).order_by("name"))


def user_administers_any_organisation(user: User) -> bool:
    """Whether the user administers some organisation (the staff menu is theirs)."""
    return bool(user.is_authenticated and access.is_administrator(user))


def administered_organisation_get(actor, organisation_id: int) -> Organisation:
    """An organisation whose staff the actor may manage (`accounts.manage_users`); any
    other raises `Organisation.DoesNotExist`, like one that does not exist."""
    organisation = Organisation.objects.get(pk=organisation_id)
    if not actor.has_perm("accounts.manage_users", organisation):
        raise Organisation.DoesNotExist
    return organisation


def _locked_out_filter() -> QuerySet[AccessAttempt]:
    cool_off = get_cool_off() or timedelta(0)
    return AccessAttempt.objects.filter(
        username=OuterRef("user__username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - cool_off,
    )


def staff_memberships(organisation: Organisation, *, search: str = "") -> QuerySet[Membership]:
    """The organisation's staff, with their units, roles here, second factor and lockout
    state, in a fixed number of queries however many there are. The caller has reached
    the organisation through `administered_organisation_get`."""
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related(
            "units",
            Prefetch(
                "user__role_assignments",
                queryset=RoleAssignment.objects.filter(organisation=organisation),
                to_attr="roles_here",
            ),
        )
        .annotate(
            has_second_factor=Exists(
                TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
            ),
            is_locked_out=Exists(_locked_out_filter()),
        )
        .order_by("user__full_name", "user__username")
    )
    if search:
        memberships = memberships.filter(
            Q(user__full_name__icontains=search)
            | Q(user__username__icontains=search)
            | Q(user__email__icontains=search)
            | Q(title__icontains=search)
        )
    return memberships


def staff_membership_get(*, organisation: Organisation, user_id: int) -> Membership:
    """One staff member's membership of the organisation, loaded as `staff_memberships`
    loads it; a user who does not work there raises `Membership.DoesNotExist`."""
    membership = staff_memberships(organisation).filter(user_id=user_id).first()
    if membership is None:
        raise Membership.DoesNotExist
    return membership


# --- staff sign-in ------------------------------------------------------------------------


def staff_user_signing_in(user_id: int) -> User | None:
    """The active staff user a half-login (password given, second factor not yet) is
    for, or None when the account was closed or changed kind in the meantime."""
    return User.objects.filter(pk=user_id, is_active=True, kind=UserKind.STAFF).first()


def totp_device_enrolling(*, user: User, device_id: int | None) -> TOTPDevice | None:
    """The user's unconfirmed authenticator that a session is setting up, or None."""
    return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
