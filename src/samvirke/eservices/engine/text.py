"""Translatable texts inside a definition: `{"nb": …, "en": …}`. nb is always there and
is the fallback for a language the author did not fill in."""

from __future__ import annotations

from django.utils.translation import get_language


def translated(text: dict | None, language: str | None = None) -> str:
    if not text:
        return ""
    language = (language or get_language() or "nb")[:2]
    return text.get(language) or text["nb"]
