"""`samvirke db-grant-app-role --role samvirke_app`: gives the application's database role
its rights (samvirke.audit.roles), as the database's owner (MIGRATE_DATABASE_URL when
set). Run after every `samvirke migrate`; `--print` shows the SQL without running it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from samvirke.audit.roles import grant_statements
from samvirke.core.owner_connection import as_owner


class Command(BaseCommand):
    help = (
        "Grant the application's database role its rights: rows everywhere, only INSERT and "
        "SELECT on the audit log (PostgreSQL; run as the owner after migrate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="the role DATABASE_URL logs in as")
        parser.add_argument("--schema", default="public")
        parser.add_argument(
            "--owner", help="the role that owns the tables (default: the connected role)"
        )
        parser.add_argument("--print", action="store_true", help="print the SQL, run nothing")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role: str, schema: str, owner: str | None, **options):
        alias = options["database"]
        with as_owner(alias):
            connection = connections[alias]
            if connection.vendor != "postgresql":
                raise CommandError("Database roles need PostgreSQL; SQLite has none.")
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                if owner is None:
                    cursor.execute("SELECT current_user")
                    owner = cursor.fetchone()[0]
                if owner == role:
                    raise CommandError(
                        f"{role} owns the tables: the application must connect as another "
                        "role (see docs/operations.md, The database roles)."
                    )
                statements = grant_statements(role=role, owner=owner, schema=schema)
                for statement in statements:
                    text = statement.as_string(cursor.connection)
                    if options["print"]:
                        self.stdout.write(text + ";")
                    else:
                        cursor.execute(statement)
            if not options["print"]:
                self.stdout.write(
                    f"Granted {role} its rights on the tables of {owner} in {schema} "
                    f"({len(statements)} statements)."
                )
