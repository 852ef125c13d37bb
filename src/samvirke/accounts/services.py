"""Every change to accounts: staff users, memberships, roles and citizen identities."""

from __future__ import annotations

from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.access import forget_grants, is_administrator, is_regional_coordinator
from samvirke.accounts.errors import AccountsErrorCode
from samvirke.accounts.models import (
    CitizenIdentity,
    Membership,
    Role,
    RoleAssignment,
    User,
    UserKind,
)
from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.core.permissions import require_permission
from samvirke.notifications.services import notification_send
from samvirke.organisations.models import Organisation, Unit

STAFF_GROUP_NAME = "Staff"


def staff_group() -> Group:
    """The group every staff user is in: it carries Wagtail's `access_admin`, the
    permission to open the back office. Created here too (not only in the data migration)
    so a fresh database, a test or a restored dump always has it."""
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailadmin", model="admin"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group.permissions.add(permission)
    return group


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
    require_permission(actor, "accounts.manage_users", organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("That user name is taken.")}, code=AccountsErrorCode.USERNAME_TAKEN
        )
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
                code=AccountsErrorCode.UNIT_OTHER_ORGANISATION,
            )
    membership.units.set(unit_list)
    for role in roles:
        RoleAssignment.objects.create(user=user, organisation=organisation, role=Role(role))
    user.groups.add(staff_group())
    audit_record(
        action=AuditAction.CREATE,
        obj=user,
        actor=actor,
        acting_for=organisation,
        details={"roles": sorted(str(r) for r in roles), "units": [u.pk for u in unit_list]},
    )
    return user


@transaction.atomic
def role_assign(*, actor=None, user: User, organisation: Organisation, role: str) -> RoleAssignment:
    require_permission(actor, "accounts.manage_users", organisation)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, organisation=organisation, role=Role(role)
    )
    if created:
        audit_record(
            action=AuditAction.UPDATE,
            obj=user,
            actor=actor,
            acting_for=organisation,
            changes={"roles": [None, role]},
        )
    forget_grants(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor=None, user: User, organisation: Organisation, role: str) -> None:
    require_permission(actor, "accounts.manage_users", organisation)
    deleted, _count = RoleAssignment.objects.filter(
        user=user, organisation=organisation, role=role
    ).delete()
    if deleted:
        audit_record(
            action=AuditAction.UPDATE,
            obj=user,
            actor=actor,
            acting_for=organisation,
            changes={"roles": [role, None]},
        )
    forget_grants(user)


@transaction.atomic
def membership_set_units(
    *, actor=None, membership: Membership, units: Iterable[Unit]
) -> Membership:
    require_permission(actor, "accounts.manage_users", membership.organisation)
    unit_list = list(units)
    if any(u.organisation_id != membership.organisation_id for u in unit_list):
        raise ValidationError(
            {"units": _("Units must belong to the user's organisation.")},
            code=AccountsErrorCode.UNIT_OTHER_ORGANISATION,
        )
    before = sorted(membership.units.values_list("id", flat=True))
    membership.units.set(unit_list)
    after = sorted(u.id for u in unit_list)
    if before != after:
        audit_record(
            action=AuditAction.UPDATE,
            obj=membership.user,
            actor=actor,
            acting_for=membership.organisation,
            changes={"units": [before, after]},
        )
    forget_grants(membership.user)
    return membership


@transaction.atomic
def citizen_login_from_eid(*, provider: str, national_id: str, full_name: str, acr: str) -> User:
    """Finds or creates the citizen with this national identity number after a verified
    eID login, and keeps their name current. The identity number is stored but never
    written to the audit event or logs."""
    identity = (
        CitizenIdentity.objects.select_for_update()
        .select_related("user")
        .filter(national_id=national_id)
        .first()
    )
    if identity is None:
        user = User(
            username=f"citizen-{get_random_string(20).lower()}",
            kind=UserKind.CITIZEN,
            full_name=full_name,
        )
        user.set_unusable_password()
        user.save()
        identity = CitizenIdentity.objects.create(
            user=user, national_id=national_id, provider=provider, last_acr=acr
        )
        audit_record(
            action=AuditAction.CREATE, obj=user, actor=user, details={"provider": provider}
        )
    else:
        user = identity.user
        if user.full_name != full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        identity.provider = provider
        identity.last_acr = acr
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["provider", "last_acr", "last_login_at"])
    audit_record(
        action=AuditAction.LOGIN, obj=user, actor=user, details={"provider": provider, "acr": acr}
    )
    return user


def citizen_login_failure_record(*, provider: str, code: str) -> None:
    """An eID login that was refused (by the provider, or by our checks of its answer).
    No user is known yet, and the event holds neither the pid nor tokens."""
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_label=_("eID login"),
        details={"provider": provider, "code": code},
    )


def citizen_logout_record(*, user: User, provider: str | None) -> None:
    """A citizen signs out; `provider` is the eID provider of the session, None when the
    session had no eID login."""
    audit_record(
        action=AuditAction.LOGOUT,
        obj=user,
        actor=user,
        details={"provider": provider} if provider is not None else {},
    )


def citizen_national_id_read(*, actor, citizen: User, purpose: str) -> str:
    """Reads a citizen's national identity number, leaving an audit event: a read of
    personal data. The citizen may read their own; staff need a purpose."""
    identity = CitizenIdentity.objects.get(user=citizen)
    audit_record(
        action=AuditAction.READ,
        obj=citizen,
        actor=actor,
        details={"field": "national_id", "purpose": purpose},
    )
    return identity.national_id


# --- Staff sign-in security: second factor, lockout, password links --------------------
# The login views call these so that every sign-in event and every change to a user's
# second factor or lockout leaves an audit event, like any other write.


def staff_requires_second_factor(user: User) -> bool:
    """Administrators and regional coordinators must sign in with a second factor: they
    can change other people's access or act for the whole region."""
    return is_administrator(user) or is_regional_coordinator(user)


def staff_login_record(*, user: User, second_factor: str) -> None:
    """Audits a completed staff sign-in (`second_factor` names the step used, or "none")."""
    audit_record(
        action=AuditAction.LOGIN,
        obj=user,
        actor=user,
        details={"method": "password", "second_factor": second_factor},
    )


def staff_login_failure_record(*, username: str, step: str) -> None:
    """Audits a failed staff sign-in step ("password", "totp", "enrolment"). Only the
    user name that was typed is kept: never the password or the code."""
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        object_type=None if user else "accounts.user",
        object_label=username[:200],
        actor=None,
        details={"username": username[:150], "step": step},
    )


@transaction.atomic
def totp_device_create(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator (TOTP device) for the user to scan, replacing any
    unconfirmed one they started before. Not audited: nothing changes for the user until
    `staff_second_factor_confirm`."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def staff_second_factor_check(*, user: User, code: str) -> Device | None:
    """The user's confirmed authenticator that accepts `code`, or None. Checking writes
    to the device: it remembers the last code used (so a code works once) and, after a
    wrong one, how long to wait before the next try (django-otp's throttling)."""
    return match_token(user, code)


def totp_device_check(*, device: TOTPDevice, code: str) -> bool:
    """Whether the authenticator being set up accepts `code`; the device records the
    check as in `staff_second_factor_check`."""
    return bool(device.verify_token(code))


@transaction.atomic
def staff_second_factor_confirm(*, user: User, device) -> None:
    """Marks a freshly scanned authenticator (TOTP device) as confirmed, and removes any
    other unconfirmed ones the user started."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    audit_record(
        action=AuditAction.UPDATE,
        obj=user,
        actor=user,
        details={"second_factor": "enrolled", "device": device.persistent_id},
    )


def _membership_of(user: User, organisation: Organisation) -> Membership:
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        raise ValidationError(
            _("The user does not work in this organisation."), code=AccountsErrorCode.NOT_MEMBER
        )
    return membership


@transaction.atomic
def staff_second_factor_reset(*, actor, user: User, organisation: Organisation) -> int:
    """Removes every second-factor device of the user (a lost phone). Their next sign-in
    asks them to set up a new authenticator if their role requires one. Returns how many
    devices were removed."""
    require_permission(actor, "accounts.manage_users", organisation)
    _membership_of(user, organisation)
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    audit_record(
        action=AuditAction.UPDATE,
        obj=user,
        actor=actor,
        acting_for=organisation,
        details={"second_factor": "reset", "devices_removed": removed},
    )
    return removed


def _lockout_clear(user: User) -> int:
    return axes_reset(username=user.username)


@transaction.atomic
def staff_user_unlock(*, actor, user: User, organisation: Organisation) -> int:
    """Lifts a lockout after repeated failed sign-ins (from every address). Returns how
    many lockout records were cleared."""
    require_permission(actor, "accounts.manage_users", organisation)
    _membership_of(user, organisation)
    cleared = _lockout_clear(user)
    audit_record(
        action=AuditAction.UPDATE,
        obj=user,
        actor=actor,
        acting_for=organisation,
        details={"lockout": "cleared", "records": cleared},
    )
    return cleared


@transaction.atomic
def staff_password_was_reset(*, user: User) -> None:
    """After a user set a new password through an e-mailed link: the link proves control
    of the mailbox, so a lockout on the user name is lifted too."""
    cleared = _lockout_clear(user)
    audit_record(
        action=AuditAction.UPDATE,
        obj=user,
        actor=user,
        changes={"password": ["*", "*"]},
        details={"lockout_cleared": cleared},
    )


def staff_password_link_send(
    *, actor, user: User, organisation: Organisation, base_url: str
) -> None:
    """E-mails a new staff user a link to choose their password (the password reset link,
    valid for PASSWORD_RESET_TIMEOUT). Sent once the surrounding transaction commits."""
    require_permission(actor, "accounts.manage_users", organisation)
    if not user.email:
        raise ValidationError(
            {"email": _("The user has no e-mail address.")}, code=AccountsErrorCode.NO_EMAIL
        )
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = base_url.rstrip("/") + path
    context = {"user": user, "organisation": organisation, "link": link}
    subject = render_to_string("accounts/staff/email/set_password_subject.txt", context)
    body = render_to_string("accounts/staff/email/set_password_body.txt", context)
    audit_record(
        action=AuditAction.UPDATE,
        obj=user,
        actor=actor,
        acting_for=organisation,
        details={"password_link": "sent"},
    )
    notification_send(
        to=user.email,
        subject=subject,
        body=body,
        link=link,
        purpose="accounts.password_link",
        reference=str(user.pk),
    )


def staff_user_read(*, actor, user: User, organisation: Organisation) -> None:
    """An administrator opening a staff member's record (e-mail, units, roles, second
    factor) reads personal data: leave an audit event."""
    audit_record(
        action=AuditAction.READ,
        obj=user,
        actor=actor,
        acting_for=organisation,
        details={"screen": "staff_user"},
    )
