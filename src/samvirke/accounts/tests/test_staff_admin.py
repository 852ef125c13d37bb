"""Managing an organisation's staff in the back office: only its administrators, only its
own people (another organisation's user by id is a 404), everything through services and
audited, and the list in a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts import services
from samvirke.accounts.models import Membership, Role, RoleAssignment, User
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.organisations.models import Unit

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"samvirke_staff:{name}", kwargs=kwargs)


@pytest.fixture
def askim_admin(client, demo, login):
    login(client, demo.user["askim.admin"])
    return demo.user["askim.admin"]


def test_the_index_leads_an_administrator_to_their_organisation(client, demo, askim_admin):
    response = client.get(url("index"))
    assert response["Location"] == url("list", organisation_id=demo.org["askim"].pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "askim.saksbehandler" in body
    assert "spydeberg.ppt" not in body
    # the menu shows the screen to administrators
    assert url("index") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_staff_who_are_not_administrators_get_404(client, demo, login):
    login(client, demo.user["askim.saksbehandler"])
    assert client.get(url("index")).status_code == 404
    assert client.get(url("list", organisation_id=demo.org["askim"].pk)).status_code == 404
    assert url("index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_another_organisations_user_or_list_by_id_is_404(client, demo, askim_admin):
    askim, spydeberg = demo.org["askim"], demo.org["spydeberg"]
    other = demo.user["spydeberg.ppt"]
    assert client.get(url("list", organisation_id=spydeberg.pk)).status_code == 404
    assert (
        client.get(url("edit", organisation_id=spydeberg.pk, user_id=other.pk)).status_code == 404
    )
    # nor through their own organisation's URL with the other's id
    assert client.get(url("edit", organisation_id=askim.pk, user_id=other.pk)).status_code == 404
    for action in ("reset-second-factor", "unlock"):
        assert (
            client.post(url(action, organisation_id=askim.pk, user_id=other.pk)).status_code == 404
        )
        assert (
            client.post(url(action, organisation_id=spydeberg.pk, user_id=other.pk)).status_code
            == 404
        )


def test_an_administrator_adds_a_staff_user_who_gets_a_set_password_link(
    client, demo, askim_admin, django_capture_on_commit_callbacks
):
    askim = demo.org["askim"]
    unit = Unit.objects.get(organisation=askim, slug="servicetorget")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("create", organisation_id=askim.pk),
            {
                "username": "askim.ny",
                "full_name": "Nina Ny",
                "email": "nina@askim.kommune.invalid",
                "title": "Konsulent",
                "units": [unit.pk],
                "roles": [Role.CASE_HANDLER],
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]

    user = User.objects.get(username="askim.ny")
    membership = Membership.objects.get(user=user, organisation=askim)
    assert list(membership.units.all()) == [unit]
    assert user.groups.filter(name="Staff").exists()
    assert user.has_perm("wagtailadmin.access_admin")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(user.pk), actor=askim_admin, acting_for=askim
    ).exists()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+(/accounts/staff/password/reset/\S+/\S+/)", mail.outbox[0].body)
    assert link and "askim.ny" in mail.outbox[0].body
    assert client.get(link.group(1), follow=True).context["validlink"]


def test_create_shows_errors_and_refuses_units_of_other_organisations(client, demo, askim_admin):
    askim = demo.org["askim"]
    other_unit = Unit.objects.filter(organisation=demo.org["spydeberg"]).first()
    response = client.post(
        url("create", organisation_id=askim.pk),
        {
            "username": "askim.admin",
            "full_name": "",
            "email": "not-an-email",
            "units": [other_unit.pk],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"username", "full_name", "email", "units"}
    assert "error-summary" in response.content.decode()


def test_an_administrator_changes_units_and_roles_through_services(client, demo, askim_admin):
    askim = demo.org["askim"]
    user = demo.user["askim.saksbehandler"]
    ikt = Unit.objects.get(organisation=askim, slug="ikt")
    edit = url("edit", organisation_id=askim.pk, user_id=user.pk)
    assert client.get(edit).status_code == 200

    response = client.post(edit, {"units": [ikt.pk], "roles": [Role.EDITOR, Role.READER]})
    assert response.status_code == 302

    assert list(Membership.objects.get(user=user, organisation=askim).units.all()) == [ikt]
    assert set(
        RoleAssignment.objects.filter(user=user, organisation=askim).values_list("role", flat=True)
    ) == {Role.EDITOR, Role.READER}
    changes = [
        e.changes
        for e in AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_id=str(user.pk), actor=askim_admin
        )
    ]
    assert {"roles": [None, Role.EDITOR]} in changes
    assert {"roles": [Role.CASE_HANDLER, None]} in changes
    assert any("units" in c for c in changes)


def test_an_administrator_cannot_drop_their_own_administrator_role(client, demo, askim_admin):
    askim = demo.org["askim"]
    response = client.post(
        url("edit", organisation_id=askim.pk, user_id=askim_admin.pk),
        {"units": [], "roles": [Role.EDITOR]},
    )
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    assert RoleAssignment.objects.filter(user=askim_admin, role=Role.ADMINISTRATOR).exists()


def test_reset_second_factor_removes_devices_and_is_audited(client, demo, askim_admin):
    askim = demo.org["askim"]
    coordinator = demo.user["region.koordinator"]
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    response = client.post(
        url("reset-second-factor", organisation_id=askim.pk, user_id=coordinator.pk)
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(coordinator.pk), actor=askim_admin
    ).latest("id")
    assert event.details == {"second_factor": "reset", "devices_removed": 1}
    # a GET does nothing
    assert (
        client.get(
            url("reset-second-factor", organisation_id=askim.pk, user_id=coordinator.pk)
        ).status_code
        == 405
    )


def test_unlock_clears_the_lockout_and_is_audited(client, demo, askim_admin):
    from django.test import Client

    askim = demo.org["askim"]
    user = demo.user["askim.redaktor"]
    attacker = Client()
    for _attempt in range(5):
        response = attacker.post(
            reverse("accounts:staff-login"), {"username": user.username, "password": "wrong"}
        )
    assert response.status_code == 429
    listing = client.get(url("list", organisation_id=askim.pk))
    locked = {m.user.username for m in listing.context["page"].object_list if m.is_locked_out}
    assert locked == {user.username}

    response = client.post(url("unlock", organisation_id=askim.pk, user_id=user.pk))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(user.pk), details__lockout="cleared"
    ).exists()


def test_services_refuse_an_administrator_of_another_organisation(demo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.staff_second_factor_reset(
            actor=demo.user["spydeberg.admin"],
            user=demo.user["askim.saksbehandler"],
            organisation=demo.org["askim"],
        )
    with pytest.raises(PermissionDenied):
        services.staff_user_unlock(
            actor=demo.user["askim.saksbehandler"],
            user=demo.user["askim.redaktor"],
            organisation=demo.org["askim"],
        )


def test_the_list_takes_the_same_number_of_queries_however_many_staff(client, demo, askim_admin):
    askim = demo.org["askim"]
    units = list(Unit.objects.filter(organisation=askim))
    list_url = url("list", organisation_id=askim.pk)
    client.get(list_url)  # warm caches (content types, site)

    with CaptureQueriesContext(connection) as before:
        assert client.get(list_url).status_code == 200
    for number in range(15):
        user = services.staff_user_create(
            username=f"askim.extra{number}",
            full_name=f"Extra {number}",
            email=f"extra{number}@askim.kommune.invalid",
            organisation=askim,
            units=units[:2],
            roles=[Role.READER, Role.EDITOR],
        )
        TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    with CaptureQueriesContext(connection) as after:
        response = client.get(list_url)
    assert response.status_code == 200
    assert "askim.extra14" in response.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries), "\n".join(
        q["sql"][:200] for q in after.captured_queries
    )
    assert len(after.captured_queries) <= 30


def test_the_list_is_paginated(client, demo, askim_admin):
    askim = demo.org["askim"]
    for number in range(30):
        services.staff_user_create(
            username=f"askim.p{number:02d}",
            full_name=f"P {number:02d}",
            email=f"p{number}@askim.kommune.invalid",
            organisation=askim,
        )
    first = client.get(url("list", organisation_id=askim.pk))
    assert len(first.context["page"].object_list) == 25
    second = client.get(url("list", organisation_id=askim.pk) + "?p=2")
    assert second.context["page"].number == 2
    assert (
        len(second.context["page"].object_list)
        == Membership.objects.filter(organisation=askim).count() - 25
    )
