"""`samvirke restore-check manifest.json`: compares a restored installation with the
manifest `samvirke backup-manifest` wrote at backup time: rows per table, and the
SHA-256 of every stored file. Prints each difference and exits with status 1 if there is
any, or OK with the figures."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from samvirke.web import backup


class Command(BaseCommand):
    help = "Check a restored installation against a backup manifest; exit 1 on a difference."

    def add_arguments(self, parser):
        parser.add_argument("manifest", help="the JSON written by `samvirke backup-manifest`")

    def handle(self, *args, manifest: str, **options):
        with open(manifest, encoding="utf-8") as file:
            expected = json.load(file)
        actual = backup.manifest(files="files" in expected)
        problems = backup.compare(expected, actual)
        if problems:
            for problem in problems:
                self.stdout.write(f"MISMATCH {problem}")
            raise CommandError(
                f"Restore check FAILED: {len(problems)} differences from the backup of "
                f"{expected.get('taken_at')}.",
                returncode=1,
            )
        rows = sum(actual["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore check OK: {len(actual['tables'])} tables, {rows} rows and "
                f"{len(actual.get('files', {}))} files match the backup of "
                f"{expected.get('taken_at')}."
            )
        )
