"""`samvirke neighbours-close-windows`: send every building application whose neighbours'
window has passed to its municipality. Run it daily (cron, a systemd timer); it is safe
to run as often as you like."""

from django.core.management.base import BaseCommand

from samvirke.neighbours.services import notification_windows_close


class Command(BaseCommand):
    help = "Send building applications whose neighbours' window has passed to the municipality."

    def handle(self, *args, **options):
        cases = notification_windows_close()
        for case in cases:
            self.stdout.write(f"{case.organisation.name}: {case.reference}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(cases)} application(s) sent to the municipality.")
        )
