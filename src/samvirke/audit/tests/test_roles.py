"""The application's database role, with exactly the rights `samvirke db-grant-app-role`
gives it (docs/operations.md): it writes and reads audit events (chained as usual) and
changes rows elsewhere, but cannot UPDATE, DELETE, TRUNCATE, ALTER (no disabling or
dropping the append-only trigger) or DROP the audit table. Runs on PostgreSQL only (CI
runs the suite there too); the role is made inside the test's transaction and vanishes
with its rollback."""

from __future__ import annotations

import io
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import ProgrammingError, connection, transaction

from samvirke.audit import chain
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.audit.roles import grant_statements
from samvirke.audit.services import audit_record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="database roles need PostgreSQL"
    ),
]

FORBIDDEN = [
    "UPDATE audit_auditevent SET object_label = 'x'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
    "ALTER TABLE audit_auditevent ADD COLUMN forged text",
    "DROP TABLE audit_auditevent",
    "DROP TABLE audit_auditevent CASCADE",
    "SELECT id FROM audit_auditevent ORDER BY id LIMIT 1 FOR UPDATE",
]


@pytest.fixture
def app_role():
    """A throwaway role with the documented grants, made by the test's own (owner)
    connection; SET LOCAL ROLE switches to it until the test's transaction ends."""
    role = f"samvirke_app_test_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        for statement in grant_statements(role=role, owner=owner):
            cursor.execute(statement)
    return role


def as_role(role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == role


@pytest.mark.parametrize("statement", FORBIDDEN)
def test_the_app_role_cannot_change_or_remove_audit_events(app_role, statement):
    assert AuditEvent.objects.exists()  # the demo's events
    as_role(app_role)
    with (
        pytest.raises(ProgrammingError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    # 42501 insufficient_privilege: "permission denied" or "must be owner"
    assert refused.value.__cause__.sqlstate == "42501", refused.value
    # still the app role after the refusal (the savepoint kept the SET LOCAL ROLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role


def test_the_app_role_adds_and_reads_chained_events_and_changes_other_rows(app_role):
    group = Group.objects.create(name="Rolleprøve")
    count = AuditEvent.objects.count()
    as_role(app_role)
    event = audit_record(action=AuditAction.CREATE, obj=group)
    assert AuditEvent.objects.count() == count + 1
    assert AuditEvent.objects.get(pk=event.pk).hash == chain.event_hash(event, event.previous_hash)
    # normal rights elsewhere: change and delete an ordinary row
    Group.objects.filter(pk=group.pk).update(name="Endret")
    Group.objects.filter(pk=group.pk).delete()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain OK" in out.getvalue()


def test_the_command_prints_the_grants_and_refuses_the_owner_as_app_role():
    out = io.StringIO()
    call_command("db_grant_app_role", "--role", "samvirke_app", "--print", stdout=out)
    sql = out.getvalue()
    assert 'GRANT SELECT, INSERT ON TABLE "public"."audit_auditevent" TO "samvirke_app";' in sql
    assert 'REVOKE ALL ON TABLE "public"."audit_auditevent" FROM "samvirke_app";' in sql
    assert "ALTER DEFAULT PRIVILEGES FOR ROLE" in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="owns the tables"):
        call_command("db_grant_app_role", "--role", owner, stdout=io.StringIO())


def test_the_command_grants_a_real_role(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f'REVOKE ALL ON TABLE audit_auditevent FROM "{app_role}"')
    out = io.StringIO()
    call_command("db_grant_app_role", "--role", app_role, stdout=out)
    assert f"Granted {app_role}" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'audit_auditevent' AND grantee = %s ORDER BY 1",
            [app_role],
        )
        assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"]
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'auth_group' AND grantee = %s ORDER BY 1",
            [app_role],
        )
        assert [row[0] for row in cursor.fetchall()] == ["DELETE", "INSERT", "SELECT", "UPDATE"]
