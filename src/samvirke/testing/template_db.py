"""Test databases copied from a template. Migrating a database and seeding the demo region
takes a minute or two; copying a database that already holds both takes a second. The
template is keyed by a hash of everything that decides what it holds (the migrations, the
locked packages, the settings, the seed code and the data files it reads, the database
engine, and the day, as the demo dates its cases and events from today), so changing any
of them makes a new template on the next run and nothing has to remember to throw an old
one away (the model is Zulip's test fixtures).

SQLite: the file `var/test-templates/<hash>.sqlite3`, copied into each (in-memory) test
database with SQLite's backup API. PostgreSQL: the database `<name>_template_<hash[:12]>`
beside the test databases, copied with `CREATE DATABASE ... TEMPLATE`, which carries the
triggers too. Both hold the demo's copy for transactional tests (`snapshot`) as well. The
files the seed stores (the demo's letters and attachments, which the test
settings keep in memory) go in a zip beside it, `<template>.files.zip`.

The first run on a machine makes the template under a file lock; the other xdist worker
waits for it and copies it. Both kinds of template appear in one step (a rename), so a
half-written one is never read. `SAMVIRKE_TEST_TEMPLATE=rebuild` makes it anew (once per
run), `SAMVIRKE_TEST_TEMPLATE=off` migrates and seeds as without templates."""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import functools
import hashlib
import os
import posixpath
import re
import sqlite3
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, storages
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.test.utils import setup_databases
from django.utils import timezone

from samvirke.testing import snapshot

REPO = Path(__file__).resolve().parents[3]
MODES = ("", "rebuild", "off")

# The template each database alias of this run was copied from or saved to.
templates_used: dict[str, _Template] = {}

# What decides a template's contents, as globs from the checkout's root. Globs and not a
# list of files, so a loader that moves (`cases/demo.py` into `cases/demo/`) stays covered.
KEY_GLOBS = (
    "requirements.lock",  # the third-party apps, and so their migrations
    "src/samvirke/conf/*.py",  # installed apps, languages, time zone
    "src/samvirke/**/migrations/**/*",
    "src/samvirke/**/demo.py",
    # what the seed writes is what the services it calls (and the receivers of their
    # signals) write: a changed service must not leave a stale demo in the template
    "src/samvirke/**/services.py",
    "src/samvirke/**/receivers.py",
    "src/samvirke/**/demo_*.py",
    "src/samvirke/**/demo/**/*",
    "src/samvirke/**/management/commands/seed_*.py",
    "src/samvirke/**/fixtures/**/*",
    "src/samvirke/**/library/**/*.json",  # the e-service forms the seed publishes
    "src/samvirke/testing/*.py",  # how a template is made, the demo's copy in it
)


def template_key(root: Path, *, engine: str, day: datetime.date) -> str:
    """The hash naming the template: of each file the globs find under `root`, its path and
    contents, with the database engine and the day."""
    files = {
        path
        for pattern in KEY_GLOBS
        for path in root.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    digest = hashlib.sha256(f"{engine}\n{day.isoformat()}\n".encode())
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def template_mode() -> str:
    mode = os.environ.get("SAMVIRKE_TEST_TEMPLATE", "").strip().lower()
    if mode not in MODES:
        raise ValueError(f"SAMVIRKE_TEST_TEMPLATE={mode!r}: use rebuild, off or nothing")
    return mode


def databases_set_up(*, aliases: Iterable[str], verbosity: int, run_id: str, rebuild: bool):
    """Django's `setup_databases` with the demo region seeded and its copy taken
    (`snapshot`): the default database copied
    from its template when there is one, else migrated and seeded as ever and then saved as
    the template. Returns what `teardown_databases` takes."""
    connection = connections["default"]
    template = template_for(connection)
    with template.locked():
        fresh = (rebuild and not template.built_by_run(run_id)) or not template.exists()
        if not fresh:
            # an instance attribute, so setup_databases does its usual bookkeeping (the
            # names to restore, which databases to destroy) around the copy
            connection.creation.create_test_db = functools.partial(
                template.create_test_db, connection
            )
        try:
            db_cfg = setup_databases(
                verbosity=verbosity, interactive=False, aliases=aliases, serialized_aliases=()
            )
        finally:
            connection.creation.__dict__.pop("create_test_db", None)
        if fresh:
            call_command("seed_demo", verbosity=0)
            snapshot.snapshot_take(connection)
            template.save(connection, run_id=run_id)
        else:
            _files_load(template.files)
            snapshot.snapshot_adopt(connection)
    templates_used[connection.alias] = template
    return db_cfg


def template_for(connection) -> _Template:
    key = template_key(REPO, engine=connection.settings_dict["ENGINE"], day=timezone.localdate())
    directory = Path(settings.VAR_DIR) / "test-templates"
    directory.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        return _SqliteTemplate(directory, key)
    if connection.vendor == "postgresql":
        return _PostgresTemplate(directory, key, connection)
    raise NotImplementedError(f"no test database templates on {connection.vendor}")


class _Template:
    """Where one engine's template lives, and how it is saved, found and copied."""

    name: str
    directory: Path
    lock: Path

    @property
    def files(self) -> Path:
        return self.directory / f"{self.name}.files.zip"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Held while a template is looked for, made or copied: a second worker waits for
        the first to make it instead of making it too."""
        with open(self.lock, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def exists(self) -> bool:
        return self.files.exists() and self._database_exists()

    def built_by_run(self, run_id: str) -> bool:
        """Whether this test run made the template (the run is written in the files' zip),
        so a forced rebuild happens once and not once per worker."""
        if not self.exists():
            return False
        with zipfile.ZipFile(self.files) as archive:
            return archive.comment.decode() == run_id

    def save(self, connection, *, run_id: str) -> None:
        """The seeded test database and the stored files become the template: the files
        first, so that when the database is there, they are."""
        temporary = self.files.with_name(f"{self.files.name}.tmp-{os.getpid()}")
        _files_save(temporary, run_id=run_id)
        temporary.replace(self.files)
        self._database_save(connection)
        self._stale_remove()

    def create_test_db(
        self, connection, verbosity=1, autoclobber=False, serialize=True, keepdb=False
    ) -> str:
        """`create_test_db` without migrating: the test database copied from the template."""
        creation = connection.creation
        test_name = creation._get_test_db_name()
        if verbosity >= 1:
            display = creation._get_database_display_str(verbosity, test_name)
            creation.log(f"Copying test database for alias {display} from {self.name}...")
        self._database_create(connection, test_name)
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = test_name
        connection.settings_dict["NAME"] = test_name
        connection.ensure_connection()
        self._database_fill(connection)
        return test_name

    def _database_exists(self) -> bool:
        raise NotImplementedError

    def _database_save(self, connection) -> None:
        raise NotImplementedError

    def _database_create(self, connection, test_name: str) -> None:
        """Before the connection moves to the test database."""

    def _database_fill(self, connection) -> None:
        """After the connection has moved to the test database."""

    def _stale_remove(self) -> None:
        raise NotImplementedError

    def _leftovers_remove(self) -> None:
        """Half-written files of a run that died, once surely no run is writing them."""
        cutoff = time.time() - 3600
        for path in self.directory.glob("*.tmp-*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


class _SqliteTemplate(_Template):
    def __init__(self, directory: Path, key: str):
        self.directory = directory
        self.name = key
        self.path = directory / f"{key}.sqlite3"
        self.lock = directory / "sqlite.lock"

    def _database_exists(self) -> bool:
        return self.path.exists()

    def _database_save(self, connection) -> None:
        temporary = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
        connection.ensure_connection()
        target = sqlite3.connect(temporary)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        temporary.replace(self.path)

    def _database_create(self, connection, test_name: str) -> None:
        # a test database in a file (TEST NAME set) from an earlier run goes first
        connection.creation._create_test_db(verbosity=0, autoclobber=True)

    def _database_fill(self, connection) -> None:
        source = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    def _stale_remove(self) -> None:
        for path in self.directory.iterdir():
            if re.fullmatch(r"[0-9a-f]{64}\.(sqlite3|files\.zip)", path.name) and (
                not path.name.startswith(self.name)
            ):
                path.unlink(missing_ok=True)
        self._leftovers_remove()


class _PostgresTemplate(_Template):
    def __init__(self, directory: Path, key: str, connection):
        self.directory = directory
        self.prefix = f"{connection.settings_dict['NAME']}_template_"
        self.name = f"{self.prefix}{key[:12]}"
        self.lock = directory / f"{connection.settings_dict['NAME']}.lock"
        self._connection = connection
        self._quote = connection.ops.quote_name

    def _cursor(self):
        # a session on the server's maintenance database, as Django's own creation uses
        return self._connection._nodb_cursor()

    def _database_exists(self) -> bool:
        with self._cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return cursor.fetchone() is not None

    def _database_save(self, connection) -> None:
        """A copy of the seeded test database under a passing name, renamed once whole.
        Copying needs the test database to be without sessions: ours closes first."""
        test_name = connection.settings_dict["NAME"]
        quote = self._quote
        making = f"{self.name}_new"
        connection.close()
        with self._cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(making)}")
            cursor.execute(f"CREATE DATABASE {quote(making)} TEMPLATE {quote(test_name)}")
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(self.name)}")
            cursor.execute(f"ALTER DATABASE {quote(making)} RENAME TO {quote(self.name)}")
        connection.ensure_connection()

    def _database_create(self, connection, test_name: str) -> None:
        quote = self._quote
        with self._cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(self.name)}")

    def _stale_remove(self) -> None:
        """Templates of this database name with other hashes: a sibling test run still
        copying one keeps it (the drop fails and is left for next time)."""
        pattern = re.escape(self.prefix) + r"[0-9a-f]{12}(_new)?"
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [self.prefix]
            )
            stale = [
                name
                for (name,) in cursor.fetchall()
                if re.fullmatch(pattern, name) and name != self.name
            ]
            for name in stale:
                try:
                    cursor.execute(f"DROP DATABASE IF EXISTS {self._quote(name)}")
                except DatabaseError:  # in use: a later run drops it
                    continue
                (self.directory / f"{name}.files.zip").unlink(missing_ok=True)
        self._leftovers_remove()


def _memory_storage() -> InMemoryStorage | None:
    """The test settings keep stored files in memory, per process: the seed's files must
    come along with the template. A storage on disk keeps its files itself."""
    storage: Any = storages["default"]
    return storage if isinstance(storage, InMemoryStorage) else None


def _storage_walk(storage, directory: str = "") -> Iterator[str]:
    directories, files = storage.listdir(directory)
    for name in files:
        yield posixpath.join(directory, name)
    for name in directories:
        yield from _storage_walk(storage, posixpath.join(directory, name))


def _files_save(path: Path, *, run_id: str) -> None:
    storage = _memory_storage()
    with zipfile.ZipFile(path, "w") as archive:
        archive.comment = run_id.encode()
        for name in _storage_walk(storage) if storage is not None else ():
            with storage.open(name, "rb") as stored:
                archive.writestr(name, stored.read())


def _files_load(path: Path) -> None:
    storage = _memory_storage()
    if storage is None:
        return
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            saved = storage.save(name, ContentFile(archive.read(name)))
            if saved != name:
                raise RuntimeError(f"the template's file {name} was stored as {saved}")
