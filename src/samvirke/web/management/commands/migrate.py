"""`samvirke migrate`, as the database's owner when MIGRATE_DATABASE_URL is set
(samvirke.core.owner_connection); otherwise Django's own command unchanged."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from samvirke.core.owner_connection import as_owner


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Connects as MIGRATE_DATABASE_URL's owner when it is set."

    def handle(self, *args, **options):
        with as_owner(options["database"]) as owner:
            if owner and options["verbosity"] >= 1:
                self.stdout.write("Connected as the database's owner (MIGRATE_DATABASE_URL).")
            return super().handle(*args, **options)
