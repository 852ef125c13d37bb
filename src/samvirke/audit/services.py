"""Writing audit events. Services call `audit_record` inside their transaction, so an
event is stored exactly when the change it describes is; `audited_update` is the one way
a service changes an object's fields and records what changed.

Each event is hash-chained to the one before it (samvirke.audit.chain), which serialises
audit writers from their first event to their commit: write events after any slow work
(PDF rendering, calls to other systems) in the same transaction, not before it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models, transaction

from samvirke.audit import chain
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.core.request_context import current_context

ModelT = TypeVar("ModelT", bound=models.Model)

# Field names whose values are personal data: the event notes that they changed, not the values.
PERSONAL_FIELDS = frozenset({"national_id", "password", "email", "phone", "pid"})


def _model_label(obj: models.Model) -> str:
    return obj._meta.label_lower


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Plain values of an object's concrete fields, to diff before and after a change."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = field.value_from_object(obj)
        values[field.name] = (
            value if isinstance(value, (int, float, bool, type(None))) else str(value)
        )
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = ["*", "*"] if name in PERSONAL_FIELDS else [old, new]
    return changes


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_label: str | None = None,
    actor=None,
    acting_for=None,
    changes: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    context = current_context()
    if actor is None:
        actor = context.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or _model_label(obj)
        object_id = obj.pk if object_id is None else object_id
        object_label = object_label if object_label is not None else str(obj)[:200]
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_label=(str(actor) if actor is not None else "")[:200],
        acting_for=acting_for,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_label=(object_label or "")[:200],
        changes=changes or {},
        details=details or {},
        client_address=context.client_address,
        request_id=context.request_id or "",
    )
    # Chained to the newest event: the lock taken with the head is held until the
    # caller's transaction ends, so no other writer can slip in between (one query more
    # than a plain insert; no savepoint of its own).
    with transaction.atomic(savepoint=False):
        event.previous_hash = chain.lock_head()
        event.hash = chain.event_hash(event, event.previous_hash)
        event.save(force_insert=True)
    return event


def audited_update(
    obj: ModelT,
    *,
    actor: Any,
    changes: Mapping[str, Any],
    acting_for: models.Model | None = None,
    fields: Sequence[str] | None = None,
    snapshot_of: Callable[[ModelT], dict[str, Any]] | None = None,
    check: Callable[[], None] | None = None,
    full_clean: bool = True,
    update_fields: Sequence[str] | None = None,
    record_unchanged: bool = False,
) -> dict[str, list[Any]]:
    """Sets `changes` on `obj`, saves it and records an UPDATE event with what changed.

    The steps, in this order: snapshot the object (`snapshot_of`, or `snapshot` of
    `fields`: all concrete fields when None), set each of `changes` as an attribute,
    run `check` (the service's own rules, which see the new values), `full_clean()`
    unless `full_clean` is False, save (with `update_fields` when given), snapshot again
    and diff. The event goes to `obj` with `actor` and `acting_for`; it is written only
    when something changed, unless `record_unchanged`. Returns the changes
    (`{field: [before, after]}`), for the caller's signals.

    The caller has checked permissions and runs this inside its transaction (the event
    is stored exactly when the change is; no savepoint of its own).
    """

    def take() -> dict[str, Any]:
        if snapshot_of is not None:
            return snapshot_of(obj)
        return snapshot(obj, None if fields is None else list(fields))

    before = take()
    for name, value in changes.items():
        setattr(obj, name, value)
    if check is not None:
        check()
    if full_clean:
        obj.full_clean()
    if update_fields is None:
        obj.save()
    else:
        obj.save(update_fields=list(update_fields))
    changed = diff(before, take())
    if changed or record_unchanged:
        audit_record(
            action=AuditAction.UPDATE,
            obj=obj,
            actor=actor,
            acting_for=acting_for,
            changes=changed,
        )
    return changed
