"""Writing audit events. Services call `audit_record` inside their transaction, so an
event is stored exactly when the change it describes is."""

from __future__ import annotations

from typing import Any

from django.db import models

from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.core.request_context import current_context

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
    return AuditEvent.objects.create(
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
