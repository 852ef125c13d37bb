"""`samvirke audit-verify`: walks the audit log's hash chain (samvirke.audit.chain) and
reports OK with the number of events and the head's hash, or the first event where the
chain breaks (its id and time), exiting with status 1. With `--anchor FILE` (a line
`samvirke audit-export-head` printed earlier and a notary kept), it also checks that the
log still holds that head: nothing up to it was rewritten, even with the hashes redone."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from samvirke.audit import chain
from samvirke.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 at the first broken event."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            help="a file with the JSON of `audit-export-head` (its last line is used)",
        )

    def handle(self, *args, anchor: str | None = None, **options):
        result = chain.verify()
        if result.broken is not None:
            broken = result.broken
            raise CommandError(
                f"Audit chain BROKEN at event {broken.event_id} "
                f"({broken.occurred_at.isoformat()}): {broken.reason}. "
                f"{result.count} events before it verified.",
                returncode=1,
            )
        if anchor:
            self.check_anchor(anchor)
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain OK: {result.count} events, head {result.head_hash}")
        )

    def check_anchor(self, path: str) -> None:
        with open(path, encoding="utf-8") as file:
            lines = [line for line in file.read().splitlines() if line.strip()]
        if not lines:
            raise CommandError(f"{path} holds no anchor.")
        expected = json.loads(lines[-1])
        if expected.get("head_id") is None:
            return
        event = AuditEvent.objects.filter(pk=expected["head_id"]).first()
        if event is None or event.hash != expected["head_hash"]:
            raise CommandError(
                f"Audit chain does NOT hold the anchored head: event {expected['head_id']} "
                f"of {expected.get('head_time')} should have hash {expected['head_hash']}, "
                f"it has {event.hash if event else 'no event'}.",
                returncode=1,
            )
        before = AuditEvent.objects.filter(pk__lte=event.pk).count()
        if before != expected["count"]:
            raise CommandError(
                f"Audit chain does NOT hold the anchored head: {expected['count']} events "
                f"up to event {event.pk} were anchored, {before} are there.",
                returncode=1,
            )
        self.stdout.write(f"Anchor of {expected.get('exported_at')} holds (event {event.pk}).")
