"""The audit log screen: search, detail, scope (administrators see their own
organisation's events, the regional coordinator all), 404 outside one's reach."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from samvirke.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, demo, login):
    def as_user(username):
        user = demo.user[username]
        if not user.has_perm("wagtailadmin.access_admin"):
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label="wagtailadmin", codename="access_admin"
                )
            )
        client.logout()
        login(client, user)
        return client

    return as_user


def spydeberg_event(demo):
    return AuditEvent.objects.filter(acting_for=demo.org["spydeberg"]).first()


def test_administrator_sees_own_organisations_events_only(
    staff_client, demo, django_assert_max_num_queries
):
    client = staff_client("askim.admin")
    client.get(reverse("samvirke_audit:event_index"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("samvirke_audit:event_index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Askim kommune" in page and "Spydeberg kommune" not in page
    assert 'name="organisation"' not in page  # only coordinators choose an organisation
    event = spydeberg_event(demo)
    assert client.get(reverse("samvirke_audit:event_detail", args=[event.pk])).status_code == 404
    own = AuditEvent.objects.filter(acting_for=demo.org["askim"]).first()
    response = client.get(reverse("samvirke_audit:event_detail", args=[own.pk]))
    assert response.status_code == 200 and own.object_label in response.content.decode()


def test_case_handler_has_no_audit_log(staff_client, demo):
    client = staff_client("askim.saksbehandler")
    response = client.get(reverse("samvirke_audit:event_index"))
    assert response.status_code in (302, 403)
    event = spydeberg_event(demo)
    assert client.get(reverse("samvirke_audit:event_detail", args=[event.pk])).status_code == 404


def test_regional_coordinator_searches_all_organisations(
    staff_client, demo, django_assert_max_num_queries
):
    client = staff_client("region.koordinator")
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    query = {
        "organisation": demo.org["spydeberg"].pk,
        "action": "update",
        "object_type": "organisations.cooperationarrangement",
        "object_id": str(arrangement.pk),
        "date_from": "2000-01-01",
        "date_to": "2100-01-01",
    }
    with django_assert_max_num_queries(30):
        response = client.get(reverse("samvirke_audit:event_index"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(reverse("samvirke_audit:event_detail", args=[0])[:-2]) >= 3
    assert "Askim kommune" not in page.split("<tbody>")[1]
    event = spydeberg_event(demo)
    response = client.get(reverse("samvirke_audit:event_detail", args=[event.pk]))
    assert response.status_code == 200
    response = client.get(
        reverse("samvirke_audit:event_index"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert 'role="alert"' in response.content.decode()


def test_audit_list_queries_do_not_grow_with_events(
    staff_client, demo, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samvirke.audit.services import audit_record

    client = staff_client("region.koordinator")
    client.get(reverse("samvirke_audit:event_index"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("samvirke_audit:event_index"))
    for n in range(60):
        audit_record(
            action="update",
            obj=demo.org["askim"],
            actor=demo.user["askim.admin"],
            acting_for=demo.org["askim"],
            changes={"name": [str(n), str(n + 1)]},
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(reverse("samvirke_audit:event_index"), {"p": "2"})
    assert response.status_code == 200


def test_there_is_no_way_to_change_or_delete_events(staff_client, demo):
    client = staff_client("region.koordinator")
    event = spydeberg_event(demo)
    detail = reverse("samvirke_audit:event_detail", args=[event.pk])
    assert client.post(detail, {"action": "delete"}).status_code == 405
    assert client.delete(detail).status_code == 405
    assert AuditEvent.objects.filter(pk=event.pk, action=event.action).exists()
    page = client.get(detail).content.decode()
    assert 'method="post"' not in page.split('id="main"')[1]
