"""What a backup holds, to check a restore against (docs/operations.md, "Backups").

`manifest()` counts the rows of every model's table and takes the SHA-256 of every stored
file a row refers to (in MEDIA_ROOT or the S3 bucket, through each file field's storage);
`compare()` lists what differs between two manifests. `samvirke backup-manifest` writes
one at backup time, `samvirke restore-check` compares it with the restored installation.

On PostgreSQL the counts come from one snapshot (REPEATABLE READ), and `--dump` has
pg_dump write the database from that same snapshot, so the dump and the manifest agree
even while the site keeps working; on SQLite `--dump` copies the database with SQLite's
backup API (in one step) and the manifest is read from that copy."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 (pg_dump, with arguments we build)
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

FORMAT = "samvirke-backup-manifest-1"
CHUNK = 1024 * 1024


def _models() -> list[type[models.Model]]:
    seen: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.db_table in seen:
            continue
        seen[opts.db_table] = model
    return [seen[table] for table in sorted(seen)]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read(execute: Callable[[str], list[tuple]]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Rows per table for every model's table (many-to-many tables included), and
    ("table.column", name) of every stored file a row refers to, through `execute` (a
    Django cursor's, or a plain sqlite3 connection's on a copy)."""
    counts: dict[str, int] = {}
    references: list[tuple[str, str]] = []
    for model in _models():
        table = model._meta.db_table
        counts[table] = execute(f"SELECT COUNT(*) FROM {_quote(table)}")[0][0]  # noqa: S608
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                column = _quote(field.column)
                rows = execute(
                    f"SELECT DISTINCT {column} FROM {_quote(table)} "  # noqa: S608
                    f"WHERE {column} IS NOT NULL AND {column} <> '' ORDER BY 1"
                )
                references += [(f"{table}.{field.column}", row[0]) for row in rows]
    return counts, references


def _storages() -> dict[str, Any]:
    """The storage of each "table.column" that holds file names."""
    return {
        f"{model._meta.db_table}.{field.column}": field.storage
        for model in _models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }


def file_sha256(storage, name: str) -> str | None:
    """The SHA-256 of a stored file, or None when the storage does not have it."""
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as file:
            while chunk := file.read(CHUNK):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def _checksums(references: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    storages = _storages()
    files: dict[str, dict[str, Any]] = {}
    for column, name in references:
        if name not in files:
            files[name] = {"sha256": file_sha256(storages[column], name), "referenced_by": column}
    return dict(sorted(files.items()))


def _django_execute(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


@contextlib.contextmanager
def _one_snapshot() -> Iterator[None]:
    """A read-only transaction that sees one state of the database for its whole life."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # (inside a caller's transaction, a test's, the isolation level is already set)
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _pg_dump(path: str) -> None:
    """pg_dump of the current transaction's snapshot into `path` (custom format)."""
    settings_dict = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise FileNotFoundError("pg_dump is not installed (Debian: postgresql-client)")
    subprocess.run(  # noqa: S603 (fixed program, our arguments)
        [
            pg_dump,
            "--format=custom",
            f"--snapshot={snapshot}",
            f"--file={path}",
            "--dbname",
            settings_dict["NAME"],
        ],
        env=env,
        check=True,
    )


def _sqlite_dump(path: str) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A copy of the database with SQLite's backup API (one consistent step), and what
    the copy holds, read from the copy itself."""
    if connection.in_atomic_block:
        raise RuntimeError("SQLite's backup cannot run inside a transaction.")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        return _read(lambda sql: target.execute(sql).fetchall())
    finally:
        target.close()


def _private(path: str, write: Callable[[], Any]) -> Any:
    """Runs `write` (which creates `path`) with umask 077, and leaves `path` mode 0600."""
    previous = os.umask(0o077)
    try:
        result = write()
    finally:
        os.umask(previous)
    os.chmod(path, 0o600)
    return result


def manifest(*, dump: str | None = None, files: bool = True) -> dict[str, Any]:
    """The manifest of this installation now; with `dump`, the database is also written to
    that path (private to the service user) from the same state of the database."""
    if dump is not None and connection.vendor == "sqlite":
        counts, references = _private(dump, lambda: _sqlite_dump(dump))
    else:
        with _one_snapshot():
            if dump is not None:
                _private(dump, lambda: _pg_dump(dump))
            counts, references = _read(_django_execute)
    taken: dict[str, Any] = {
        "format": FORMAT,
        "taken_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "tables": counts,
    }
    if files:
        # hashed after the snapshot's transaction: stored files are never rewritten in place
        taken["files"] = _checksums(references)
    return taken


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """What differs, one line each; empty when the restore holds what the backup did."""
    problems: list[str] = []
    if expected.get("format") != FORMAT:
        return [f"not a backup manifest of this kind: {expected.get('format')!r}"]
    want, have = expected.get("tables", {}), actual.get("tables", {})
    for table in sorted(set(want) | set(have)):
        if table not in have:
            problems.append(f"table {table}: missing (the backup had {want[table]} rows)")
        elif table not in want:
            problems.append(f"table {table}: not in the backup ({have[table]} rows now)")
        elif want[table] != have[table]:
            problems.append(f"table {table}: {have[table]} rows, the backup had {want[table]}")
    if "files" in expected:
        want_files, have_files = expected["files"], actual.get("files", {})
        for name in sorted(set(want_files) | set(have_files)):
            before, now = want_files.get(name), have_files.get(name)
            if before is None:
                problems.append(f"file {name}: referenced now but not in the backup")
            elif now is None:
                problems.append(f"file {name}: no longer referenced by any row")
            elif now["sha256"] is None and before["sha256"] is not None:
                problems.append(f"file {name}: missing from storage")
            elif now["sha256"] != before["sha256"]:
                problems.append(
                    f"file {name}: checksum {now['sha256']}, the backup had {before['sha256']}"
                )
    return problems
