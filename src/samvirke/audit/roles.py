"""The PostgreSQL rights of the application's database role (docs/operations.md, "The
database roles"): read and write rows everywhere, add to and read the audit log, and
nothing else there: no UPDATE, DELETE, TRUNCATE, no triggers, and (not being the owner)
no ALTER or DROP of any table.

`samvirke db-grant-app-role` runs these statements as the owner after every `migrate`;
the documentation shows the same SQL and a test on PostgreSQL applies it to a throwaway
role and tries every forbidden statement."""

from __future__ import annotations

from psycopg import sql

# Tables the application may only add to and read.
APPEND_ONLY_TABLES = ("audit_auditevent",)


def grant_statements(*, role: str, owner: str, schema: str = "public") -> list[sql.Composed]:
    """The statements, in order, that give `role` the application's rights on the tables
    and sequences `owner` has made and will make in `schema`. Idempotent."""
    role_id, owner_id, schema_id = (
        sql.Identifier(role),
        sql.Identifier(owner),
        sql.Identifier(schema),
    )
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_id, role_id),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
            schema_id, role_id
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
            schema_id, role_id
        ),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(owner_id, schema_id, role_id),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} "
            "GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(owner_id, schema_id, role_id),
    ]
    for table in APPEND_ONLY_TABLES:
        table_id = sql.Identifier(schema, table)
        statements += [
            sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(table_id, role_id),
            sql.SQL("GRANT SELECT, INSERT ON TABLE {} TO {}").format(table_id, role_id),
        ]
    return statements
