"""The audit log's hash chain (samvirke.audit.chain): two columns, the events already in
the log chained in id order, and on PostgreSQL the function that serialises writers
(`samvirke_audit_chain_head()`: takes the chain's advisory lock until the end of the
transaction, then returns the newest event's hash).

Run as the database's owner (MIGRATE_DATABASE_URL, docs/operations.md): the backfill sets
the new columns of existing events, which the append-only trigger refuses, so it switches
the trigger off for its own transaction only. Old app servers must be stopped first: an
event they write after this migration would have no hash and break the chain."""

from django.db import migrations, models

from samvirke.audit import chain

HEAD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION samvirke_audit_chain_head() RETURNS text AS $$
DECLARE
    head text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit events are chained under READ COMMITTED only';
    END IF;
    PERFORM pg_advisory_xact_lock({chain.ADVISORY_LOCK_KEY});
    -- a VOLATILE function takes a fresh snapshot per statement: after the lock, the
    -- newest committed event is the chain's head
    SELECT hash INTO head FROM audit_auditevent ORDER BY id DESC LIMIT 1;
    RETURN head;
END;
$$ LANGUAGE plpgsql VOLATILE;
"""


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    AuditEvent = apps.get_model("audit", "AuditEvent")
    if postgres:
        schema_editor.execute("LOCK TABLE audit_auditevent IN EXCLUSIVE MODE")
        schema_editor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
        )
    previous = chain.GENESIS
    batch = []
    events = AuditEvent.objects.using(connection.alias).order_by("id")
    for event in events.iterator(chunk_size=2000):
        event.previous_hash = previous
        event.hash = previous = chain.event_hash(event, previous)
        batch.append(event)
        if len(batch) >= 2000:
            AuditEvent.objects.using(connection.alias).bulk_update(batch, ["previous_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.using(connection.alias).bulk_update(batch, ["previous_hash", "hash"])
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only"
        )
        schema_editor.execute(HEAD_FUNCTION)


def unchain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS samvirke_audit_chain_head()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(
                blank=True, default="", max_length=64, verbose_name="previous hash"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="hash"),
        ),
        migrations.RunPython(backfill, unchain),
    ]
