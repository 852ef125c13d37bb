"""The neighbour notification's error codes. The values are a contract (the API passes
service codes on, clients branch on them): never change one. See samvirke.core.errors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.core.errors import ErrorCode, error_codes


@error_codes.register
class NeighboursErrorCode(ErrorCode):
    NO_NEIGHBOURS = "no_neighbours", _("The application names no neighbours.")
    WINDOW_CLOSED = "window_closed", _("The deadline for answers has passed.")
    WINDOW_OPEN = (
        "window_open",
        _("The neighbours may still answer: not all have, and the deadline has not passed."),
    )
