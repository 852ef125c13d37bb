"""`samvirke createcachetable`, as the database's owner when MIGRATE_DATABASE_URL is set
(samvirke.core.owner_connection): the cache table is part of the schema."""

from django.core.management.commands.createcachetable import Command as DjangoCreateCacheTable

from samvirke.core.owner_connection import as_owner


class Command(DjangoCreateCacheTable):
    help = DjangoCreateCacheTable.help + " Connects as MIGRATE_DATABASE_URL's owner when set."

    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
