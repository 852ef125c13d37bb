"""The URL scheme of page translations: bokmål (the default language) unprefixed, the
other content languages under their code (/nn/, /sv/, /en/).

Django's `i18n_patterns(prefix_default_language=False)` matches an unprefixed address only
while the default language is active, which would tie the interface language to the
address. `ContentLocalePrefixPattern` reads the language from the address itself, so the
interface can follow the visitor's choice on bokmål pages (`portal.middleware`).
Reversing still uses the active language, as Django's pattern does; Wagtail reverses a
page's address with its own language active.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import URLResolver
from django.urls.resolvers import LocalePrefixPattern


def language_from_path(path: str) -> str | None:
    """The content language named by an address's first segment, if it names one other
    than the default."""
    first = path.lstrip("/").split("/", 1)[0]
    codes = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    if first in codes and first != settings.LANGUAGE_CODE:
        return first
    return None


def content_language(path: str) -> str:
    """The language an address serves page content in: its prefix's, else the default."""
    return language_from_path(path) or settings.LANGUAGE_CODE


class ContentLocalePrefixPattern(LocalePrefixPattern):
    def __init__(self):
        super().__init__(prefix_default_language=False)

    def match(self, path):
        language = language_from_path(path)
        if language is None:
            return path, (), {}
        return path.removeprefix(language).removeprefix("/"), (), {}


def translated_patterns(*urls) -> list[URLResolver]:
    """Like `i18n_patterns(*urls, prefix_default_language=False)`, with the matching above."""
    return [URLResolver(ContentLocalePrefixPattern(), list(urls))]
