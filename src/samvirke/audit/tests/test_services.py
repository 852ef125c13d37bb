"""The audited update: what it saves, what it records, and what it leaves alone when a
check fails. Run on Django's own `Group` (a name only), so the audit app's tests need no
app above it (`acting_for` is an organisation: the services' own tests check it)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.audit.services import audited_update

pytestmark = pytest.mark.django_db


def events_of(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="auth.group", object_id=str(obj.pk)))


def test_a_change_is_saved_and_recorded_with_before_and_after():
    group = Group.objects.create(name="Redaktører")
    changes = audited_update(group, actor=None, changes={"name": "Skribenter"})
    assert changes == {"name": ["Redaktører", "Skribenter"]}
    group.refresh_from_db()
    assert group.name == "Skribenter"
    [event] = events_of(group)
    assert event.action == AuditAction.UPDATE
    assert event.changes == {"name": ["Redaktører", "Skribenter"]}
    assert event.object_label == "Skribenter"


def test_nothing_changed_records_nothing_unless_asked():
    group = Group.objects.create(name="Uendret")
    assert audited_update(group, actor=None, changes={"name": "Uendret"}) == {}
    assert events_of(group) == []
    assert audited_update(group, actor=None, changes={}, record_unchanged=True) == {}
    [event] = events_of(group)
    assert event.changes == {}


def test_the_check_sees_the_new_values_and_a_failure_saves_nothing():
    group = Group.objects.create(name="Før")
    seen = []

    def check() -> None:
        seen.append(group.name)
        raise ValidationError("no", code="refused")

    with pytest.raises(ValidationError):
        audited_update(group, actor=None, changes={"name": "Etter"}, check=check)
    assert seen == ["Etter"]
    group.refresh_from_db()
    assert group.name == "Før" and events_of(group) == []


def test_full_clean_runs_unless_the_caller_validates_itself():
    group = Group.objects.create(name="Gruppe")
    with pytest.raises(ValidationError):
        audited_update(group, actor=None, changes={"name": ""})
    group.refresh_from_db()
    assert group.name == "Gruppe" and events_of(group) == []


def test_fields_and_a_custom_snapshot_decide_what_is_compared():
    group = Group.objects.create(name="A")
    # only the listed fields are compared: a change elsewhere is saved but not recorded
    assert audited_update(group, actor=None, changes={"name": "B"}, fields=["id"]) == {}
    assert events_of(group) == []
    changes = audited_update(
        group,
        actor=None,
        changes={"name": "C"},
        snapshot_of=lambda g: {"label": g.name.lower()},
        update_fields=["name"],
    )
    assert changes == {"label": ["b", "c"]}
    [event] = events_of(group)
    assert event.changes == {"label": ["b", "c"]}
