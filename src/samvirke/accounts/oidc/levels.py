"""Assurance levels (sikkerhetsnivå) of an eID login, in eIDAS terms.

We speak of two levels, `substantial` < `high` (ID-porten's `idporten-loa-substantial`
and `idporten-loa-high`; BankID and Freja use their own values, mapped per provider with
SAMVIRKE_OIDC_<NAME>_ACR_VALUES). A service asks for the least level it needs; a login
below it is refused.
"""

from __future__ import annotations

import enum
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_ACR_VALUES = {
    "substantial": "idporten-loa-substantial",
    "high": "idporten-loa-high",
}


class Level(enum.Enum):
    SUBSTANTIAL = "substantial"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def __ge__(self, other: Level) -> bool:
        return self.rank >= other.rank

    def __lt__(self, other: Level) -> bool:
        return self.rank < other.rank


_ORDER = [Level.SUBSTANTIAL, Level.HIGH]


def parse_level(value: str | None) -> Level | None:
    """`high`, `substantial`, or ID-porten's `idporten-loa-high` style; None if unknown."""
    if not value:
        return None
    value = value.strip().lower()
    for level in Level:
        if value in (level.value, DEFAULT_ACR_VALUES[level.value]):
            return level
    return None


def minimum_level() -> Level:
    """The level every eID login must reach at least: SAMVIRKE_EID_MIN_ACR (setting or
    environment), `substantial` by default."""
    raw = getattr(settings, "SAMVIRKE_EID_MIN_ACR", None) or os.environ.get(
        "SAMVIRKE_EID_MIN_ACR", "substantial"
    )
    level = parse_level(raw)
    if level is None:
        raise ImproperlyConfigured(f"SAMVIRKE_EID_MIN_ACR={raw!r} is not a known level.")
    return level


def parse_acr_mapping(raw: str) -> dict[str, str]:
    """`substantial=urn:x:sub,high=urn:x:high` -> {"substantial": ..., "high": ...}."""
    if not raw:
        return dict(DEFAULT_ACR_VALUES)
    mapping: dict[str, str] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        level = parse_level(name) if sep else None
        if level is None or not value.strip():
            raise ImproperlyConfigured(
                f"ACR_VALUES item {item!r} must look like substantial=<acr> or high=<acr>."
            )
        mapping[level.value] = value.strip()
    return mapping
