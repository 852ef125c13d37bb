"""`samvirke audit-export-head`: the audit chain's head as one JSON line (the number of
events, the newest event's id, time and hash, and when it was taken), for an external
notary: sent somewhere the platform's operators cannot rewrite, it fixes the log up to
that point (docs/operations.md, "The audit chain and its notary")."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from samvirke.audit import chain


class Command(BaseCommand):
    help = "Print the audit chain's head (count, latest id and hash) as JSON for a notary."

    def handle(self, *args, **options):
        count, head_hash, event_id, occurred_at = chain.head()
        self.stdout.write(
            json.dumps(
                {
                    "installation": settings.WAGTAILADMIN_BASE_URL,
                    "chain": chain.CHAIN_VERSION,
                    "count": count,
                    "head_id": event_id,
                    "head_time": occurred_at.isoformat() if occurred_at else None,
                    "head_hash": head_hash,
                    "exported_at": timezone.now().isoformat(),
                },
                sort_keys=True,
            )
        )
