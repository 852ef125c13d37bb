"""The audit log's hash chain: every event written is linked to the one before it,
`audit-verify` finds an event changed, removed or moved (and exits non-zero), the
notary's head catches a log rewritten with fresh hashes, and concurrent writers keep one
unbroken chain on PostgreSQL."""

from __future__ import annotations

import importlib
import io
import json
import threading
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader

from samvirke.audit import chain
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.audit.services import audit_record, audited_update

pytestmark = pytest.mark.django_db


def record(n: int) -> list[AuditEvent]:
    group = Group.objects.create(name=f"Kjede {n}")
    return [
        audit_record(
            action=AuditAction.UPDATE,
            obj=group,
            changes={"step": [i, i + 1], "note": ("tuple", 1)},
            details={"n": i, 1: "int key"},
        )
        for i in range(n)
    ]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", *args, stdout=io.StringIO())
    assert failure.value.returncode == 1
    return str(failure.value)


def tamper(*statements: str, params=None) -> None:
    """Change the log behind the application's back, as the database's owner could (on
    PostgreSQL with the append-only trigger switched off for this test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the foreign keys' deferred checks of this transaction's inserts first: ALTER
            # TABLE refuses to run with trigger events pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
            )
        for statement in statements:
            cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only"
            )


def test_each_event_is_chained_to_the_one_before():
    events = record(3)
    before = AuditEvent.objects.filter(pk__lt=events[0].pk).order_by("-id").first()
    assert events[0].previous_hash == (before.hash if before else chain.GENESIS)
    for previous, event in zip(events, events[1:], strict=False):
        assert event.previous_hash == previous.hash
    for event in events:
        stored = AuditEvent.objects.get(pk=event.pk)
        assert len(stored.hash) == 64
        assert stored.hash == chain.event_hash(stored, stored.previous_hash) == event.hash


def test_audited_update_chains_its_event_too():
    group = Group.objects.create(name="Før kjede")
    audited_update(group, actor=None, changes={"name": "Etter kjede"})
    event = AuditEvent.objects.order_by("-id").first()
    assert event.changes == {"name": ["Før kjede", "Etter kjede"]}
    assert event.hash == chain.event_hash(event, event.previous_hash)
    assert "Audit chain OK" in run("audit_verify")


def test_verify_reports_ok_with_the_count_of_events_including_the_demos():
    record(2)
    output = run("audit_verify")
    count = AuditEvent.objects.count()
    head = AuditEvent.objects.order_by("-id").first()
    assert f"Audit chain OK: {count} events, head {head.hash}" in output


def test_a_changed_field_is_found_at_that_event():
    events = record(3)
    tamper(
        "UPDATE audit_auditevent SET object_label = 'Noe annet' WHERE id = %s",
        params=[events[1].pk],
    )
    message = verify_fails()
    assert f"BROKEN at event {events[1].pk} " in message
    assert events[1].occurred_at.isoformat() in message
    assert "was changed" in message


def test_a_deleted_event_is_found_at_the_event_after_it():
    events = record(3)
    tamper(f"DELETE FROM audit_auditevent WHERE id = {events[1].pk}")
    message = verify_fails()
    assert f"BROKEN at event {events[2].pk} " in message
    assert "removed or moved" in message


def test_two_events_swapped_are_found():
    events = record(3)
    first, second = events[0].pk, events[1].pk
    tamper(
        f"UPDATE audit_auditevent SET id = -1 WHERE id = {first}",
        f"UPDATE audit_auditevent SET id = {first} WHERE id = {second}",
        f"UPDATE audit_auditevent SET id = {second} WHERE id = -1",
    )
    assert f"BROKEN at event {first} " in verify_fails()


def test_a_deleted_newest_event_or_a_rewritten_chain_is_caught_by_the_notarys_head(tmp_path):
    events = record(3)
    anchor = tmp_path / "anchor.jsonl"
    exported = json.loads(run("audit_export_head"))
    assert exported["count"] == AuditEvent.objects.count()
    assert exported["head_id"] == events[-1].pk
    assert exported["head_hash"] == events[-1].hash
    anchor.write_text(json.dumps(exported) + "\n")
    assert "Anchor of" in run("audit_verify", "--anchor", str(anchor))

    # Someone with the owner's rights changes an event and recomputes every hash after it:
    # the chain alone verifies again, the notary's head does not.
    tamper(
        "UPDATE audit_auditevent SET object_label = 'Omskrevet' WHERE id = %s",
        params=[events[0].pk],
    )
    rechained = list(AuditEvent.objects.filter(pk__gte=events[0].pk).order_by("id"))
    chain.link(rechained, rechained[0].previous_hash)
    for event in rechained:
        tamper(
            "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
            params=[event.previous_hash, event.hash, event.pk],
        )
    assert "Audit chain OK" in run("audit_verify")
    assert "does NOT hold the anchored head" in verify_fails("--anchor", str(anchor))


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    group = Group.objects.create(name="Samtidig")
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(15):
                with transaction.atomic():
                    audit_record(action=AuditAction.UPDATE, obj=group, details={"w": n, "i": i})
                    # work after the event, inside the same transaction, widens the window
                    # in which an unserialised writer would read a stale head
                    Group.objects.filter(pk=group.pk).update(name=f"Samtidig {n}-{i}")
        except BaseException as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (
        AuditEvent.objects.filter(object_type="auth.group", object_id=str(group.pk)).count() == 60
    )
    assert "Audit chain OK" in run("audit_verify")


def test_the_migration_chains_the_events_already_in_the_log():
    """Migration audit.0003's backfill, run on a log whose events have no hashes (as
    before it): afterwards the whole log verifies, in id order."""
    migration = importlib.import_module("samvirke.audit.migrations.0003_auditchain_hash")
    record(2)
    tamper("UPDATE audit_auditevent SET previous_hash = '', hash = ''")
    assert "BROKEN at event" in verify_fails()

    def execute(statement: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement)

    # the models as the migration sees them (plain managers, unlike the append-only model's)
    state = MigrationLoader(connection).project_state(("audit", "0003_auditchain_hash"))
    migration.backfill(state.apps, SimpleNamespace(connection=connection, execute=execute))
    assert "Audit chain OK" in run("audit_verify")
    first = AuditEvent.objects.order_by("id").first()
    assert first.previous_hash == chain.GENESIS
