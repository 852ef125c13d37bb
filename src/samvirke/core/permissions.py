"""The permission check every service makes first.

It asks Django's permission API (`user.has_perm`), which the `rules` predicates in
`samvirke.accounts.rules` answer from the user's grants, so a service on any floor can
check a permission without importing the accounts app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_permission(actor: Any, permission: str, obj: Any = None) -> None:
    """Raises PermissionDenied unless `actor` has `permission` (on `obj`). `actor` None is
    system work (the seed command, migrations, management commands run by the operator)."""
    if actor is not None and not actor.has_perm(permission, obj):
        raise PermissionDenied(_("You do not have permission to do this."))
