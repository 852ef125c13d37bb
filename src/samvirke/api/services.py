"""API tokens for integrated systems: making and revoking them.

A token acts as a service account (tjenestekonto) with roles in exactly one organisation,
so an integrated system sees what that organisation's staff with those roles would see.
Only the token's SHA-256 digest is stored; the token itself is returned once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samvirke.accounts import access
from samvirke.accounts import services as account_services
from samvirke.accounts.models import Role, User
from samvirke.api.errors import ApiTokenErrorCode
from samvirke.api.models import ApiToken, token_digest
from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.organisations.models import Organisation

TOKEN_PREFIX_LENGTH = 8
# Roles that reach beyond one organisation; only the system (the management command) or a
# regional coordinator may hand them to a token.
REGIONAL_ROLES = frozenset({Role.REGIONAL_COORDINATOR})


def _require_manage(actor, organisation: Organisation) -> None:
    if actor is None:  # the management command, run by the operator
        return
    if not actor.has_perm("accounts.manage_users", organisation) and not (
        access.is_regional_coordinator(actor)
    ):
        raise PermissionDenied(_("You do not have permission to do this."))


def _service_username(organisation: Organisation, name: str) -> str:
    base = f"api-{organisation.slug}-{slugify(name)[:40] or 'token'}"
    return f"{base}-{secrets.token_hex(4)}"[:150]


@transaction.atomic
def api_token_create(
    *,
    actor,
    organisation: Organisation,
    name: str,
    roles: Iterable[str] = (Role.READER,),
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Creates a service account holding `roles` in `organisation` only, and a token for
    it. Returns the token and the raw token string, which is never stored."""
    _require_manage(actor, organisation)
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": _("Give the token a name.")}, code=ApiTokenErrorCode.REQUIRED
        )
    role_list = sorted({str(r) for r in roles}) or [Role.READER.value]
    unknown = [r for r in role_list if r not in Role.values]
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown roles: %s") % ", ".join(unknown)},
            code=ApiTokenErrorCode.UNKNOWN_ROLE,
        )
    if (
        actor is not None
        and REGIONAL_ROLES & set(role_list)
        and not access.is_regional_coordinator(actor)
    ):
        raise PermissionDenied(_("Only a regional coordinator may give a token a regional role."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            {"expires_at": _("The expiry must be in the future.")},
            code=ApiTokenErrorCode.EXPIRY_IN_PAST,
        )

    # The service account is made by the system on the actor's behalf: the actor's
    # permission was checked above, and the audit event below names them.
    user = account_services.staff_user_create(
        actor=None,
        username=_service_username(organisation, name),
        full_name=_("API token: %(name)s") % {"name": name},
        email="",
        organisation=organisation,
        roles=role_list,
        title=_("Service account"),
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])

    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        organisation=organisation,
        user=user,
        prefix=raw[:TOKEN_PREFIX_LENGTH],
        digest=token_digest(raw),
        expires_at=expires_at,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=token,
        actor=actor,
        acting_for=organisation,
        details={
            "roles": role_list,
            "service_account": user.username,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revokes the token and deactivates its service account. Revoking twice is a no-op."""
    _require_manage(actor, token.organisation)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    User.objects.filter(pk=token.user_id).update(is_active=False)
    audit_record(
        action=AuditAction.UPDATE,
        obj=token,
        actor=actor,
        acting_for=token.organisation,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
    )
    return token
