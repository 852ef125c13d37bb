"""The organisation register's error codes: units, arrangements, participants and
agreements. The values are a contract (the API returns them, clients branch on them):
never change one. See samvirke.core.errors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.core.errors import ErrorCode, error_codes


@error_codes.register
class OrganisationsErrorCode(ErrorCode):
    UNKNOWN_FIELD = "unknown_field", _("The request names a field that cannot be changed.")
    UNKNOWN_LANGUAGE = "unknown_language", _("A name is given in a language not offered.")
    PARENT_OTHER_ORGANISATION = (
        "parent_other_organisation",
        _("The parent unit belongs to another organisation."),
    )
    UNIT_CYCLE = "unit_cycle", _("A unit cannot be placed below itself.")
    HOST_UNIT_OTHER_ORGANISATION = (
        "host_unit_other_organisation",
        _("The host unit belongs to another organisation."),
    )
    COST_SHARES_EXCEED_100 = (
        "cost_shares_exceed_100",
        _("The participants' cost shares add up to more than 100 %."),
    )
    PERIOD_ENDS_BEFORE_START = (
        "period_ends_before_start",
        _("The participation ends before it starts."),
    )
    ALREADY_PARTICIPANT = (
        "already_participant",
        _("The organisation already takes part in the arrangement."),
    )
    END_DATE_REQUIRED = "end_date_required", _("Give the date the participation ends.")
    ALREADY_ENDED = "already_ended", _("The participation has ended by then already.")
    FILE_TOO_LARGE = "file_too_large", _("The file is too large.")
    FILE_TYPE_NOT_ALLOWED = "file_type_not_allowed", _("Agreement documents must be PDF files.")
    PDF_NOT_ALLOWED = (
        "pdf_not_allowed",
        _(
            "The PDF cannot be parsed, or carries JavaScript, launch actions or embedded "
            "files; the message says which."
        ),
    )
