"""The archive export's error codes (the command line and the staff pages show the
messages; the codes are stable for scripts and tests): never change one. See
samvirke.core.errors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.core.errors import ErrorCode, error_codes


@error_codes.register
class ArchiveErrorCode(ErrorCode):
    NOTHING_TO_EXPORT = "nothing_to_export", _("No cases were closed in the period.")
    PERIOD_REVERSED = "period_reversed", _("The period starts after it ends.")
    STANDARDS_MISSING = (
        "standards_missing",
        _("Arkivverket's schemas are missing (SAMVIRKE_STANDARDS_DIR)."),
    )
    INVALID_EXPORT = "invalid_export", _("The export does not meet its schema.")
    OUTPUT_NOT_EMPTY = "output_not_empty", _("The output directory is not empty.")
