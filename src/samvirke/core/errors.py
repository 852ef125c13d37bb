"""Stable error codes, one enum per app, and the register of them.

A service refuses with `ValidationError(message, code=CasesErrorCode.CASE_CLOSED)`. The
message is translated and may change; the code is a contract: the API returns it as
`error.fields.<name>[].code` and clients branch on it. So every code lives in its app's
`errors.py` as a member of an `ErrorCode` enum with a translatable description, and
nowhere as a string literal (tests/test_architecture.py checks). A member is a `str`
equal to its value, so the API serialises it exactly as the string it stands for.

The API sits low in the floors and cannot import the apps above it, yet documents their
codes: each app registers its enum here (`@error_codes.register` in its `errors.py`,
imported from `AppConfig.ready`), and the API reads them back from `error_codes`.
`samvirke error-codes --markdown` writes the table in docs/api.md from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from django.db import models


class ErrorCode(models.TextChoices):
    """The base of every app's error codes: `NAME = "value", _("What went wrong.")`. The
    value is what clients see and is never changed; the label describes the code in
    the documentation."""


E = TypeVar("E", bound=type[ErrorCode])


class ErrorCodeRegistry:
    """The registered error code enums, by the app that owns them."""

    def __init__(self) -> None:
        self._enums: dict[str, type[ErrorCode]] = {}

    def register(self, enum: E) -> E:
        """A class decorator for an app's `ErrorCode` enum. Registering the same enum
        again (a module imported twice) is harmless; another enum of the same name is
        refused."""
        if not (isinstance(enum, type) and issubclass(enum, ErrorCode)):
            raise TypeError(f"{enum!r} is not an ErrorCode enum.")
        name = f"{enum.__module__}.{enum.__qualname__}"
        existing = self._enums.get(name)
        if existing is not None and existing is not enum:
            raise ValueError(f"The error codes {name} are registered already.")
        self._enums[name] = enum
        return enum

    def __iter__(self) -> Iterator[type[ErrorCode]]:
        return iter(sorted(self._enums.values(), key=lambda e: (app_of(e), e.__qualname__)))

    def __contains__(self, enum: object) -> bool:
        return enum in self._enums.values()

    def codes(self) -> set[str]:
        """Every registered code's value."""
        return {member.value for enum in self for member in enum}


def app_of(enum: type[ErrorCode]) -> str:
    """The app an enum belongs to: `cases` for `samvirke.cases.errors.CasesErrorCode`."""
    parts = enum.__module__.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


error_codes = ErrorCodeRegistry()
