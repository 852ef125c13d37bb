"""Shared test fixtures. Tests build data through the real services, and most start from
the demo region, which `seed-demo` loads idempotently."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo region once per test database; each test rolls back its changes."""
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)


@pytest.fixture
def demo(db):
    """The demo region, loaded through the real seed command (a no-op when present)."""
    from samvirke.accounts.models import User
    from samvirke.organisations.models import CooperationArrangement, Organisation

    if not Organisation.objects.filter(slug="askim").exists():
        call_command("seed_demo", verbosity=0)
    organisations = {o.slug: o for o in Organisation.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    arrangements = {a.slug: a for a in CooperationArrangement.objects.all()}
    return SimpleNamespace(org=organisations, user=users, arrangement=arrangements)


def staff_login(client, user) -> None:
    """Logs a staff user in on the test client, second factor verified where they have one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def login():
    """`login(client, user)`: a staff session as after password and TOTP."""
    return staff_login
