"""`samvirke case-type-online-names`: list the case types and whether the online public
journal shows the names of private persons in their cases, or set it for one type
(`samvirke case-type-online-names byggesak shown`). Setting it recomputes the online
titles of the type's cases and journal entries and writes an audit event (the actor is
the system). See docs/service-square.md, "Names of private persons online"."""

from django.core.management.base import BaseCommand, CommandError

from samvirke.cases.journal.services import case_type_online_names_set
from samvirke.cases.models import CaseType, OnlineNames


class Command(BaseCommand):
    help = "List or set whether the online public journal shows names of private persons."

    def add_arguments(self, parser):
        parser.add_argument("case_type", nargs="?", help="The case type's slug.")
        parser.add_argument("online_names", nargs="?", choices=OnlineNames.values)

    def handle(self, *args, **options):
        slug, value = options["case_type"], options["online_names"]
        if slug is None:
            for case_type in CaseType.objects.order_by("slug"):
                self.stdout.write(f"{case_type.slug}: {case_type.online_names}")
            return
        try:
            case_type = CaseType.objects.get(slug=slug)
        except CaseType.DoesNotExist as missing:
            raise CommandError(f"No case type {slug!r}.") from missing
        if value is None:
            self.stdout.write(f"{case_type.slug}: {case_type.online_names}")
            return
        changed = case_type_online_names_set(case_type=case_type, online_names=value)
        self.stdout.write(
            self.style.SUCCESS(f"{case_type.slug}: {value}; {changed} online title(s) changed.")
        )
