"""`samvirke backup-manifest`: what this installation holds now (rows per table, SHA-256
of every stored file a row refers to), as JSON, to check a restore against with
`samvirke restore-check`. `--dump FILE` also writes the database from the same snapshot
(pg_dump's custom format on PostgreSQL, a copy of the file on SQLite). Everything it
writes is readable by the service user only (mode 0600)."""

from __future__ import annotations

import json
import os
import sys

from django.core.management.base import BaseCommand

from samvirke.web import backup


class Command(BaseCommand):
    help = "Write a backup manifest (row counts, file checksums) as JSON; optionally the dump."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="write the manifest here (mode 0600), not stdout")
        parser.add_argument(
            "--dump", help="also dump the database here, from the manifest's snapshot"
        )
        parser.add_argument(
            "--no-files", action="store_true", help="count rows only; no file checksums"
        )

    def handle(self, *args, output: str | None, dump: str | None, no_files: bool, **options):
        taken = backup.manifest(dump=dump, files=not no_files)
        text = json.dumps(taken, indent=1, sort_keys=True) + "\n"
        if output:
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(text)
        else:
            self.stdout.write(text, ending="")
        missing = [name for name, file in taken.get("files", {}).items() if file["sha256"] is None]
        rows = sum(taken["tables"].values())
        sys.stderr.write(
            f"backup-manifest: {len(taken['tables'])} tables, {rows} rows, "
            f"{len(taken.get('files', {}))} files ({len(missing)} missing from storage)\n"
        )
        for name in missing:
            sys.stderr.write(f"backup-manifest: referenced but missing from storage: {name}\n")
