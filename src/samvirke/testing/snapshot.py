"""The demo region, copied table by table once it is seeded: in the schema `demo_snapshot`
on PostgreSQL, in tables prefixed `demo_snapshot__` on SQLite. A transactional test (the
browser tests) commits, so rolling back cannot undo it; putting the copy back after it
takes well under a second, where seeding again takes 15 s. A template database
(template_db) carries the copy along, so a test run that starts from one need not copy
again."""

from __future__ import annotations

from django.db import connections, transaction
from django.test import TransactionTestCase

SNAPSHOT = "demo_snapshot"
_snapshot_tables: dict[str, list[str]] = {}


def _snapshot_table(connection, table: str) -> str:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return f"{SNAPSHOT}.{quote(table)}"
    return quote(f"{SNAPSHOT}__{table}")


def _sqlite_virtual_tables(connection) -> list[str]:
    """SQLite's virtual tables: Wagtail's full-text index, which triggers on its index
    entries keep in step. They and their shadow tables are left to those triggers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
        return [row[0] for row in cursor.fetchall()]


def _tables(connection) -> list[str]:
    """The tables the copy holds: all but the copy's own and SQLite's full-text index."""
    virtual = _sqlite_virtual_tables(connection) if connection.vendor == "sqlite" else []
    return [
        t
        for t in connection.introspection.table_names()
        if not t.startswith(SNAPSHOT) and not any(t.startswith(name) for name in virtual)
    ]


def snapshot_take(connection) -> None:
    quote = connection.ops.quote_name
    tables = _tables(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SNAPSHOT}")
        for table in tables:
            copy = _snapshot_table(connection, table)
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {quote(table)}")  # noqa: S608
    _snapshot_tables[connection.alias] = tables


def snapshot_adopt(connection) -> None:
    """The copy a template database brought along, taken as this database's own."""
    _snapshot_tables[connection.alias] = _tables(connection)


def snapshot_restore(connection) -> None:
    """Every table back to the copy, with foreign key checks off while the rows go in (and
    on PostgreSQL triggers, among them the audit log's append-only guard)."""
    quote = connection.ops.quote_name
    tables = _snapshot_tables[connection.alias]
    with (
        connection.constraint_checks_disabled(),
        transaction.atomic(using=connection.alias),
        connection.cursor() as cursor,
    ):
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        # DELETE, not TRUNCATE: on PostgreSQL truncating a hundred small tables takes some
        # 4 s (each gets new files), deleting their rows a tenth of a second
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (our table names)
        for table in tables:
            copy = _snapshot_table(connection, table)
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {copy}")  # noqa: S608


def restore_demo_instead_of_flushing() -> None:
    """After a transactional test Django empties the database; with a copy of the demo
    region at hand, put that back instead, so the next test need not seed again."""
    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        aliases = self._databases_names(include_mirrors=False)
        if not all(alias in _snapshot_tables for alias in aliases):
            return flush(self)
        for alias in aliases:
            snapshot_restore(connections[alias])

    TransactionTestCase._fixture_teardown = _fixture_teardown
