"""Opening a staff member's record is a read of personal data, and is audited."""

import pytest

from samvirke.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_opening_a_staff_record_leaves_a_read_event(demo, client, login):
    admin = demo.user["askim.admin"]
    colleague = demo.user["askim.saksbehandler"]
    login(client, admin)

    response = client.get(f"/admin/staff/{demo.org['askim'].pk}/{colleague.pk}/")

    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.READ, object_id=str(colleague.pk)).get()
    assert event.actor == admin
    assert event.acting_for == demo.org["askim"]
    assert event.object_type == "accounts.user"
