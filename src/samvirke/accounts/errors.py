"""The accounts app's error codes: what managing users and their memberships refuses. The
values are a contract (the API and the forms pass them on): never change one. See
samvirke.core.errors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.core.errors import ErrorCode, error_codes


@error_codes.register
class AccountsErrorCode(ErrorCode):
    USERNAME_TAKEN = "username_taken", _("That user name is taken.")
    UNIT_OTHER_ORGANISATION = (
        "unit_other_organisation",
        _("Units must belong to the user's organisation."),
    )
    OWN_ADMINISTRATOR_ROLE = (
        "own_administrator_role",
        _("Administrators cannot remove their own administrator role."),
    )
    NOT_MEMBER = "not_member", _("The user does not work in this organisation.")
    NO_EMAIL = "no_email", _("The user has no e-mail address.")
