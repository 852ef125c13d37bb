"""The audit log's hash chain: every event carries the SHA-256 of its own fields and of the
previous event's hash, so an event changed, removed or moved anywhere in the log breaks the
chain from that point on (`samvirke audit-verify` finds where).

The chain runs in id order. Writers are serialised from the moment they read the chain's
head until their transaction ends: on PostgreSQL by a transaction-level advisory lock,
taken by the `samvirke_audit_chain_head()` function (migration `audit.0003`), which also
returns the head's hash in the same round trip; SQLite has one writer at a time anyway
(its transactions begin IMMEDIATE). Since ids are assigned at INSERT, after the lock, the
chain's order is the ids' order.

The canonical form (version 1) must never change for existing events: a later version
would need its own marker and the verifier would keep both.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from samvirke.audit.models import AuditEvent

CHAIN_VERSION = "samvirke-audit-v1"
# The hash before the first event.
GENESIS = "0" * 64
# The fields an event's hash covers, in this order (with the previous event's hash).
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "acting_for_id",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "changes",
    "details",
    "client_address",
    "request_id",
)
# pg_advisory_xact_lock's key for the chain (the ASCII of "SAMVAUD" as a number); the
# function in migration audit.0003 holds the same constant.
ADVISORY_LOCK_KEY = 0x53414D56415544


def _plain_json(value: Any) -> Any:
    """The value as the database gives it back: a JSON round trip turns tuples into
    lists and non-string keys into strings."""
    return json.loads(json.dumps(value))


def _time(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return str(value)


def canonical(event: AuditEvent, previous_hash: str) -> bytes:
    """The bytes an event's hash is taken over: its fields and the previous hash, as JSON
    with sorted keys and no spaces."""
    values: dict[str, Any] = {name: getattr(event, name) for name in HASHED_FIELDS}
    values["occurred_at"] = _time(values["occurred_at"])
    values["client_address"] = _address(values["client_address"])
    values["changes"] = _plain_json(values["changes"] or {})
    values["details"] = _plain_json(values["details"] or {})
    for name in ("actor_label", "object_type", "object_id", "object_label", "request_id"):
        values[name] = values[name] or ""
    values["previous_hash"] = previous_hash
    values["version"] = CHAIN_VERSION
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent, previous_hash: str) -> str:
    return hashlib.sha256(canonical(event, previous_hash)).hexdigest()


def lock_head(using: BaseDatabaseWrapper | None = None) -> str:
    """Takes the chain's write lock until the end of the current transaction and returns
    the hash of the newest event (GENESIS for an empty log). One query."""
    conn = using or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT samvirke_audit_chain_head()")
        else:
            cursor.execute("SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return (row[0] if row else "") or GENESIS


def link(events: list[AuditEvent], previous_hash: str) -> str:
    """Chains unsaved events in list order after `previous_hash` (for bulk inserts made
    under `lock_head`, in that order); returns the last hash."""
    for event in events:
        event.previous_hash = previous_hash
        event.hash = previous_hash = event_hash(event, previous_hash)
    return previous_hash


@dataclass(frozen=True)
class Break:
    """The first event where the chain does not hold."""

    event_id: int
    occurred_at: datetime.datetime
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    count: int
    head_hash: str
    broken: Break | None


def _events(chunk_size: int = 2000) -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size)


def verify() -> VerifyResult:
    """Walks the whole log in id order and checks each event's link and hash."""
    previous = GENESIS
    count = 0
    for event in _events():
        if event.previous_hash != previous:
            reason = (
                "its previous hash is not the hash of the event before it "
                "(an event was removed or moved)"
            )
            return VerifyResult(count, previous, Break(event.pk, event.occurred_at, reason))
        if event.hash != event_hash(event, previous):
            reason = "its hash does not match its fields (the event was changed)"
            return VerifyResult(count, previous, Break(event.pk, event.occurred_at, reason))
        previous = event.hash
        count += 1
    return VerifyResult(count, previous, None)


def head() -> tuple[int, str, int | None, datetime.datetime | None]:
    """The chain's head for a notary: the number of events, the newest hash, its id and
    time. Does not verify (run `audit-verify` for that)."""
    latest = AuditEvent.objects.order_by("-id").first()
    count = AuditEvent.objects.count()
    if latest is None:
        return 0, GENESIS, None, None
    return count, latest.hash or GENESIS, latest.pk, latest.occurred_at
