"""Why an eID login failed: a stable code for logs, audit and tests, an HTTP status, and
a message the citizen can act on. The log reason never contains the pid or a token."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# code -> (HTTP status, message for the citizen)
MESSAGES = {
    "cancelled": (400, _("You cancelled the login. Nothing was saved.")),
    "provider_error": (400, _("The identity provider could not log you in.")),
    "state_mismatch": (
        400,
        _("The login had expired or was already used. Please start the login again."),
    ),
    "unknown_provider": (400, _("That identity provider is not available here.")),
    "provider_unavailable": (
        502,
        _("The identity provider is not answering right now. Please try again in a few minutes."),
    ),
    "token_invalid": (
        400,
        _("We could not verify the answer from the identity provider, so you were not logged in."),
    ),
    "token_replayed": (
        400,
        _("This login answer has already been used. Please start the login again."),
    ),
    "level_too_low": (
        400,
        _(
            "This service needs a higher security level than the one you logged in with. "
            "Please log in again with a higher level, for example BankID or a code chip."
        ),
    ),
    "identity_missing": (
        400,
        _("The identity provider did not tell us who you are, so you were not logged in."),
    ),
}


class EidLoginError(Exception):
    """A refused eID login. `reason` is for the log: technical, without personal data."""

    def __init__(self, code: str, reason: str = "", *, provider: str = ""):
        if code not in MESSAGES:
            raise ValueError(f"Unknown eID error code {code!r}")
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason or code
        self.provider = provider

    @property
    def status(self) -> int:
        return MESSAGES[self.code][0]

    @property
    def message(self):
        return MESSAGES[self.code][1]
