"""Audit selectors: the scope of each role."""

import pytest

from samvirke.audit import selectors
from samvirke.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_scope_by_role(demo):
    spydeberg = AuditEvent.objects.filter(acting_for=demo.org["spydeberg"]).first()
    assert not selectors.audit_event_list(user=demo.user["askim.saksbehandler"]).exists()
    admin_events = selectors.audit_event_list(user=demo.user["askim.admin"])
    assert admin_events.exists()
    assert set(admin_events.values_list("acting_for", flat=True)) == {demo.org["askim"].pk}
    with pytest.raises(AuditEvent.DoesNotExist):
        selectors.audit_event_get(user=demo.user["askim.admin"], event_id=spydeberg.pk)
    assert selectors.audit_event_get(user=demo.user["region.koordinator"], event_id=spydeberg.pk)
    assert "organisations.cooperationarrangement" in selectors.audit_object_types()
