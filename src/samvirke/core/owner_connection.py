"""Connecting as the database's owner for the commands that change the schema.

In production the app servers connect (DATABASE_URL) as a role that may read and write
rows but not change tables, and may only add to the audit log; migrations need the
owner. `as_owner` swaps the credentials of one connection for MIGRATE_DATABASE_URL's
(the setting SAMVIRKE_MIGRATE_DATABASE) while a command runs, and puts them back after."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

# What the owner's URL replaces; the database's name must be the same as DATABASE_URL's.
CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


def owner_settings() -> dict | None:
    return getattr(settings, "SAMVIRKE_MIGRATE_DATABASE", None)


@contextlib.contextmanager
def as_owner(alias: str = DEFAULT_DB_ALIAS) -> Iterator[bool]:
    """Within the block, `connections[alias]` connects as the owner when one is configured
    (yields True), else as usual (yields False)."""
    owner = owner_settings()
    if not owner or alias != DEFAULT_DB_ALIAS:
        yield False
        return
    connection = connections[alias]
    current = connection.settings_dict
    if owner.get("ENGINE") != current.get("ENGINE") or owner.get("NAME") != current.get("NAME"):
        raise ImproperlyConfigured(
            "MIGRATE_DATABASE_URL must name the same database as DATABASE_URL "
            f"({current.get('NAME')!r}), with the owner's user and password."
        )
    saved = {key: current.get(key) for key in CREDENTIALS}
    connection.close()
    current.update({key: owner.get(key) for key in CREDENTIALS})
    try:
        yield True
    finally:
        connection.close()
        current.update(saved)
