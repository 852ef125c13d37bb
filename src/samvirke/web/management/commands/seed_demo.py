"""`samvirke seed-demo`: load the demo region (Indre Østfold). Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samvirke.accounts import demo as accounts_demo
from samvirke.cases import demo as cases_demo
from samvirke.cases.demo import cases as demo_cases
from samvirke.eservices import demo as eservices_demo
from samvirke.organisations import demo as organisations_demo
from samvirke.portal import demo as portal_demo

# The settings under which the demo (published passwords and TOTP keys) may be loaded
DEMO_ENVIRONMENTS = {"demo", "test"}

# Each capability adds its demo data here, in dependency order.
LOADERS = [
    organisations_demo.load,
    accounts_demo.load,
    portal_demo.load,
    eservices_demo.load,
    cases_demo.load,
    demo_cases.load,
]


class Command(BaseCommand):
    help = "Load the demo region Indre Østfold (Smaalensveven). Safe to run again."

    def handle(self, *args, **options):
        environment = getattr(settings, "SAMVIRKE_ENVIRONMENT", "production")
        if environment not in DEMO_ENVIRONMENTS:
            # the demo's published passwords and TOTP keys would open the back office
            raise CommandError(
                f"seed-demo refuses to run under {environment} settings "
                f"({settings.SETTINGS_MODULE}): the demo's users have published passwords. "
                "Run it only with DJANGO_SETTINGS_MODULE=samvirke.conf.demo (or .test)."
            )
        with transaction.atomic():
            for loader in LOADERS:
                loader()
        self.stdout.write(self.style.SUCCESS("The demo region is loaded."))
