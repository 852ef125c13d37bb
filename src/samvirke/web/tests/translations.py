"""A stand-in bokmål catalogue for tests: the real catalogues are added by translators,
so tests that prove a page follows the active language supply their own few strings."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

from django.utils import translation
from django.utils.translation import trans_real


@contextmanager
def fake_catalogue(strings: dict[str, str], language: str = "nb"):
    def gettext(message):
        if translation.get_language() == language and str(message) in strings:
            return strings[str(message)]
        return trans_real.gettext(message)

    translation.gettext("")  # makes sure the delegate attribute exists before patching
    with mock.patch.object(translation._trans, "gettext", gettext):
        yield
