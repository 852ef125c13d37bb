"""`samvirke backup-manifest` and `samvirke restore-check`: the manifest counts every
table's rows and checksums every stored file a row refers to; the check passes on the
same installation and names each difference (rows, a changed file, a missing file) with
exit status 1; what the commands write is readable by the service user only."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import subprocess

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from samvirke.cases.models import Document
from samvirke.web import backup

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_document():
    """A demo document whose file a test may change; put back afterwards."""
    document = Document.objects.exclude(file="").order_by("pk").first()
    assert document is not None, "the demo stores documents"
    storage = document.file.storage
    name = document.file.name
    with storage.open(name, "rb") as file:
        original = file.read()
    yield document, storage, name, original
    if storage.exists(name):
        storage.delete(name)
    assert storage.save(name, ContentFile(original)) == name


def manifest_file(tmp_path, *args: str):
    path = tmp_path / "manifest.json"
    call_command("backup_manifest", "--output", str(path), *args, stdout=io.StringIO())
    return path


def check(path) -> str:
    out = io.StringIO()
    call_command("restore_check", str(path), stdout=out)
    return out.getvalue()


def check_fails(path) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("restore_check", str(path), stdout=out)
    assert failure.value.returncode == 1
    return out.getvalue()


def test_the_manifest_counts_rows_and_checksums_the_stored_files(stored_document):
    document, _, name, original = stored_document
    out = io.StringIO()
    call_command("backup_manifest", stdout=out)
    taken = json.loads(out.getvalue())
    assert taken["format"] == backup.FORMAT
    assert taken["tables"]["auth_group"] == Group.objects.count()
    assert taken["tables"]["audit_auditevent"] > 0
    assert taken["tables"][Document._meta.db_table] == Document.objects.count()
    assert "auth_user_groups" in taken["tables"] or "accounts_user_groups" in taken["tables"]
    assert taken["files"][name] == {
        "sha256": hashlib.sha256(original).hexdigest(),
        "referenced_by": f"{Document._meta.db_table}.file",
    }
    documents = [f for f in taken["files"].values() if f["referenced_by"] == "cases_document.file"]
    assert len(documents) == Document.objects.exclude(file="").values("file").distinct().count()


def test_the_same_installation_passes_the_check(tmp_path):
    path = manifest_file(tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    output = check(path)
    assert "Restore check OK:" in output
    assert f"{Group._meta.db_table}" not in output


def test_every_difference_is_named_and_the_check_fails(tmp_path, stored_document):
    _, storage, name, _ = stored_document
    other = Document.objects.exclude(file="").exclude(file=name).order_by("pk").first()
    path = manifest_file(tmp_path)
    groups = Group.objects.count()

    Group.objects.create(name="Etter sikkerhetskopien")
    storage.delete(name)
    storage.save(name, ContentFile(b"not what was backed up"))
    with other.file.storage.open(other.file.name, "rb") as file:
        other_content = file.read()
    other.file.storage.delete(other.file.name)
    try:
        output = check_fails(path)
    finally:
        other.file.storage.save(other.file.name, ContentFile(other_content))
    assert f"MISMATCH table auth_group: {groups + 1} rows, the backup had {groups}" in output
    changed = hashlib.sha256(b"not what was backed up").hexdigest()
    assert f"MISMATCH file {name}: checksum {changed}, the backup had" in output
    assert f"MISMATCH file {other.file.name}: missing from storage" in output
    assert len([line for line in output.splitlines() if line.startswith("MISMATCH")]) == 3


def test_a_row_check_only_manifest_ignores_the_files(tmp_path, stored_document):
    _, storage, name, _ = stored_document
    path = manifest_file(tmp_path, "--no-files")
    storage.delete(name)
    storage.save(name, ContentFile(b"changed"))
    assert "Restore check OK:" in check(path)
    Group.objects.create(name="Ny")
    assert "MISMATCH table auth_group" in check_fails(path)


# committed data: SQLite's backup API copies what is committed (and waits for an open
# transaction of its own connection)
@pytest.mark.django_db(transaction=True)
def test_the_dump_is_private_to_the_service_user(tmp_path):
    dump = tmp_path / "samvirke.dump"
    path = manifest_file(tmp_path, "--dump", str(dump))
    assert stat.S_IMODE(os.stat(dump).st_mode) == 0o600
    assert json.loads(path.read_text())["tables"]
    if connection.vendor == "postgresql":
        listing = subprocess.run(
            ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
        ).stdout
        assert "TABLE DATA public audit_auditevent" in listing
    else:
        import sqlite3  # noqa: PLC0415 (only this branch reads the copy)

        copy = sqlite3.connect(dump)
        try:
            (count,) = copy.execute("SELECT count(*) FROM auth_group").fetchone()
        finally:
            copy.close()
        assert count == Group.objects.count()
