"""Rate limits on signing in (samvirke.core.ratelimit): returns from the eID provider,
and failed staff logins from one address across user names (password spraying, which
django-axes' per-user-name lockout does not see)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from samvirke.accounts.demo import DEMO_PASSWORD
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.core.tests import ratelimits as ratelimit_clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """All requests of a test in one window of the limits (see core.tests.ratelimits)."""
    ratelimit_clock.freeze(monkeypatch)


LOGIN = reverse("accounts:staff-login")
CALLBACK = reverse("accounts:eid-callback")


def translated(language: str, message: str) -> str:
    with translation.override(language):
        text = gettext(message)
    assert text != message, f"no {language} translation of {message!r}"
    return text


@pytest.fixture
def rates(settings):
    def use(**scopes: str) -> None:
        settings.SAMVIRKE_RATE_LIMITS = {**settings.SAMVIRKE_RATE_LIMITS, **scopes}

    return use


def test_eid_callbacks_from_one_address_are_throttled_with_a_translated_page(rates):
    rates(eid_callback="3/m")
    client = Client()
    for _ in range(3):  # an unknown login: the "start again" page
        assert client.get(CALLBACK, {"state": "x", "code": "y"}).status_code != 429
    response = client.get(CALLBACK, {"state": "x", "code": "y"}, HTTP_ACCEPT_LANGUAGE="nn")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert escape(translated("nn", "Too many requests")) in html
    assert '<html lang="nn"' in html
    # another address is not held back
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert other.get(CALLBACK, {"state": "x", "code": "y"}).status_code != 429


def test_password_spraying_across_user_names_is_throttled_per_address(demo, rates):
    rates(staff_login_failure="4/m")
    client = Client()
    # one wrong password each for four user names: below axes' per-user lockout
    for username in ["askim.admin", "askim.saksbehandler", "nobody.1", "nobody.2"]:
        response = client.post(LOGIN, {"username": username, "password": "Sommer2026!"})
        assert response.status_code == 200
    # the fifth try, even with the right password, is not tried: 429 with the form
    response = client.post(
        LOGIN,
        {"username": "askim.admin", "password": DEMO_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    sentence = "Too many requests came from your address in a short time."
    assert escape(translated("sv", sentence)) in html
    assert 'value="askim.admin"' in html  # the user name stays in the form
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, details__step="rate_limited"
    ).exists()
    # another address still signs in
    other = Client(REMOTE_ADDR="192.0.2.78")
    response = other.post(LOGIN, {"username": "askim.admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_successful_logins_are_not_counted(demo, rates):
    rates(staff_login_failure="2/m")
    for _ in range(4):
        client = Client()
        response = client.post(LOGIN, {"username": "askim.admin", "password": DEMO_PASSWORD})
        assert response.status_code == 302
