"""Noark 5 system identifiers (systemID, M001): UUIDs that stay the same for the same
object in every export, so a later export (or a correction) refers to the same archive
units. They are name-based UUIDs (version 5) of the object's kind and primary key in a
namespace of Samvirke's own; they are therefore unique within one installation."""

from __future__ import annotations

import uuid

# uuid5(NAMESPACE_URL, "https://samvirke.invalid/noark5/systemid"), fixed once and for all:
# changing it would give every archive unit a new identity.
NAMESPACE = uuid.UUID("01a8f21b-c610-5063-80e0-84c076357711")


def system_id(kind: str, *key: object) -> str:
    """The systemID of an archive unit, e.g. `system_id("mappe", case.pk)`."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(k) for k in key)])))
