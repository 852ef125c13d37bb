"""Test data for accounts, made through the real services: citizens as an eID login
leaves them, and test clients holding such a login. The people are the development
identity provider's invented test persons (synthetic national identity numbers)."""

from __future__ import annotations

from django.test import Client

from samvirke.accounts.devidp.persons import BY_KEY
from samvirke.accounts.models import User
from samvirke.accounts.oidc.flow import SESSION_KEY
from samvirke.accounts.services import citizen_login_from_eid


def citizen(key: str = "p1", *, level: str = "substantial") -> User:
    """A citizen as after an eID login through the dev IdP at `level` (`substantial` or
    `high`): the test person `key` (p1 is Ingrid Testesen)."""
    person = BY_KEY[key]
    return eid_citizen(national_id=person.national_id, full_name=person.name, level=level)


def eid_citizen(*, national_id: str, full_name: str, level: str = "substantial") -> User:
    """A citizen as after an eID login with this (synthetic) national identity number."""
    return citizen_login_from_eid(
        provider="dev", national_id=national_id, full_name=full_name, acr=f"idporten-loa-{level}"
    )


def eid_login(client: Client, user: User, level: str = "substantial") -> None:
    """The session an eID login leaves (see accounts.oidc.flow), on `client`.

    No service: the login flow writes the session itself after the provider's answer,
    which a test can only reach through the browser journey."""
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = {"provider": "dev", "level": level}
    session.save()


def eid_client(user: User, level: str = "high") -> Client:
    """A new test client holding an eID login of `user` (see `eid_login`)."""
    client = Client()
    eid_login(client, user, level)
    return client
