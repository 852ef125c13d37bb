"""The portal's error codes, for its pages' checks in the page editor. The values are
stable like every app's: never change one. See samvirke.core.errors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.core.errors import ErrorCode, error_codes


@error_codes.register
class PortalErrorCode(ErrorCode):
    HOME_OWNER = (
        "home_owner",
        _("A home page belongs to one municipality or is the regional portal."),
    )
    SHARE_NOT_REGIONAL = (
        "share_not_regional",
        _("Only articles on the regional portal can be shared."),
    )
    END = "end", _("An event cannot end before it starts.")
    UNIT_OTHER_ORGANISATION = (
        "unit_other_organisation",
        _("The responsible unit is not a public unit of the site's municipality."),
    )
