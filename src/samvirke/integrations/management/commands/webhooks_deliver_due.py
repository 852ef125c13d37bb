"""`samvirke webhooks-deliver-due`: send every webhook delivery that is due now.

The task queue normally sends deliveries and their retries by itself; run this from cron
(e.g. every minute) where the queue cannot defer tasks, or to catch up after an outage."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samvirke.integrations.webhooks import deliveries_send_due


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due now."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many.")

    def handle(self, *args, limit: int, **options):
        count = deliveries_send_due(limit=limit)
        self.stdout.write(f"{count} webhook deliveries attempted.")
