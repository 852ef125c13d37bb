"""Stored files that exist only with their rows.

A file must be written before the row that names it commits (the row is useless without
its bytes), so a transaction that rolls back, or a process killed before its commit,
would leave a file no row names. Two things keep storage clean:

- `file_save` writes the file and, inside a transaction, remembers it as *pending* until
  the commit (`transaction.on_commit`). When the unit of work ends (the request is
  finished, the task has run) and the transaction did not commit, the pending files are
  deleted (`pending_files_discard`). So a rolled-back transaction leaves nothing behind.
- `orphan_files_sweep` deletes, under the folders the platform's file fields use, every
  stored file older than `SAMVIRKE_ORPHAN_FILE_AGE_HOURS` that no row of any model names.
  It catches what a killed process could not clean up. It runs on the worker's schedule
  (`web` registers it as the periodic job "orphan-files").
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

logger = logging.getLogger("samvirke.files")

#: Folders of the default storage written by the platform's own file fields (and only by
#: them): the orphan sweep looks nowhere else.
ORPHAN_SWEEP_FOLDERS = ("cases", "arrangements")

_local = threading.local()


def _pending() -> dict[str, Storage]:
    if not hasattr(_local, "pending"):
        _local.pending = {}
    return _local.pending


def file_save(field_file: FieldFile, name: str, content) -> None:
    """Saves `content` into the (unsaved) field file, as `FieldFile.save(save=False)`,
    and, inside a transaction, keeps the file only if the transaction commits."""
    field_file.save(name, content, save=False)
    if connection.in_atomic_block:
        stored, storage = field_file.name, field_file.storage
        _pending()[stored] = storage
        transaction.on_commit(partial(_kept, stored))


def _kept(name: str) -> None:
    _pending().pop(name, None)


def file_forget(field_file: FieldFile) -> None:
    """Deletes a file just written whose row could not be saved."""
    name, storage = field_file.name, field_file.storage
    if name:
        _pending().pop(name, None)
        storage.delete(name)


def pending_files_discard(**kwargs) -> int:
    """Deletes the files written in transactions that did not commit. Called when a
    request or a task ends (connected to `request_finished` and `task_finished`); does
    nothing while a transaction is still open (a test's, or an outer one). A file a row
    names is kept whatever its callback's state (a task run at once by an on-commit
    callback ends before the later callbacks of the same commit have run)."""
    pending = _pending()
    if not pending or connection.in_atomic_block:
        return 0
    try:
        named = _named(set(pending))
    except Exception:  # noqa: BLE001 - no database now: the orphan sweep finds them later
        logger.warning("could not check %d uncommitted file(s); left to the sweep", len(pending))
        pending.clear()
        return 0
    count = 0
    for name, storage in list(pending.items()):
        pending.pop(name, None)
        if name in named:
            continue
        try:
            storage.delete(name)
            count += 1
        except Exception:  # noqa: BLE001 - the orphan sweep will find it later
            logger.exception("could not delete the uncommitted file %s", name)
    if count:
        logger.info("deleted %d file(s) of a transaction that did not commit", count)
    return count


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def _named(names: set[str]) -> set[str]:
    """Those of `names` that a row names."""
    found: set[str] = set()
    for model, field in _file_fields():
        found.update(
            model._default_manager.filter(**{f"{field.name}__in": names}).values_list(
                field.name, flat=True
            )
        )
    return found


def referenced_file_names() -> set[str]:
    """Every file name a row of any model's file field names."""
    names: set[str] = set()
    for model, field in _file_fields():
        names.update(
            n
            for n in model._default_manager.exclude(**{field.name: ""})
            .values_list(field.name, flat=True)
            .iterator()
            if n
        )
    return names


def _walk(storage: Storage, folder: str):
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for file in files:
        yield f"{folder}/{file}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def _modified(storage: Storage, name: str) -> datetime | None:
    try:
        return storage.get_modified_time(name)
    except (NotImplementedError, FileNotFoundError, OSError):
        return None


def orphan_files_sweep(
    *, storage: Storage | None = None, older_than: timedelta | None = None, now=None
) -> list[str]:
    """Deletes stored files older than `older_than` (default
    `SAMVIRKE_ORPHAN_FILE_AGE_HOURS`) that no row names; returns their names. A file of a
    transaction still running is younger than that, so it is left alone."""
    storage = storage or default_storage
    if older_than is None:
        older_than = timedelta(hours=settings.SAMVIRKE_ORPHAN_FILE_AGE_HOURS)
    cutoff = (now or timezone.now()) - older_than
    candidates = []
    for folder in ORPHAN_SWEEP_FOLDERS:
        for name in _walk(storage, folder):
            modified = _modified(storage, name)
            if modified is None:
                continue
            if timezone.is_naive(modified):
                modified = timezone.make_aware(modified)
            if modified < cutoff:
                candidates.append(name)
    if not candidates:
        return []
    referenced = referenced_file_names()
    deleted = []
    for name in candidates:
        if name in referenced:
            continue
        storage.delete(name)
        deleted.append(name)
    if deleted:
        logger.warning("orphan files sweep: deleted %d file(s) no row names", len(deleted))
    return deleted
