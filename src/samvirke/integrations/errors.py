"""The error codes of the case and webhook endpoints for integrated systems. The values are
a contract (the API returns them, clients branch on them): never change one. See
samvirke.core.errors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.core.errors import ErrorCode, error_codes


@error_codes.register
class IntegrationsErrorCode(ErrorCode):
    # journal entries
    INVALID = "invalid", _("The value is not valid (an unknown journal entry type).")
    FILE_TOO_LARGE = "file_too_large", _("The file is larger than 25 MB.")
    FILE_TYPE_NOT_ALLOWED = (
        "file_type_not_allowed",
        _("The file's content is not a PDF, PNG, JPEG or TIFF (or the file is empty)."),
    )
    FILE_CONTENT_NOT_ALLOWED = (
        "file_content_not_allowed",
        _(
            "The file's content is refused: a picture that does not decode or has too many "
            "pixels, a PDF that does not parse or carries JavaScript, launch actions or "
            "embedded files, or a name or declared type that does not match the content; "
            "the message says which."
        ),
    )
    FILE_INFECTED = "file_infected", _("The virus scanner found a virus in the file.")
    SCAN_UNAVAILABLE = "scan_unavailable", _("The virus scanner did not answer; try again later.")
    # webhook subscriptions
    HTTPS_REQUIRED = "https_required", _("The URL must start with https://.")
    CREDENTIALS_IN_URL = "credentials_in_url", _("The URL holds a user name or password.")
    REQUIRED = "required", _("A required value is missing.")
    INVALID_CHOICE = "invalid_choice", _("A value is not one of those allowed.")
    DOES_NOT_EXIST = (
        "does_not_exist",
        _("The organisation does not exist or is outside your reach."),
    )
    DELIVERY_IN_PROGRESS = "delivery_in_progress", _("The delivery is being sent already.")
