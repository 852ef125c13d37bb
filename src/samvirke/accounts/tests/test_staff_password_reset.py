"""Password reset by e-mail (Django's views, our templates), which also lifts a lockout;
and Argon2 as the hasher of the real settings."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from samvirke.accounts.demo import DEMO_PASSWORD
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.conf import base as base_settings

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:staff-login")
NEW_PASSWORD = "Fjord-lighthouse-autumn-42"


def test_base_settings_hash_passwords_with_argon2():
    assert base_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS):
        encoded = make_password(NEW_PASSWORD)
        assert encoded.startswith("argon2$")
        assert get_hasher("default").algorithm == "argon2"
        assert check_password(NEW_PASSWORD, encoded)


def lock_out(client, username):
    for _attempt in range(5):
        response = client.post(LOGIN, {"username": username, "password": "wrong"})
    assert response.status_code == 429


def test_reset_by_email_sets_a_new_password_and_lifts_the_lockout(
    client, demo, django_capture_on_commit_callbacks
):
    user = demo.user["askim.redaktor"]
    lock_out(client, user.username)

    # the lockout page points to the reset
    response = client.get(reverse("accounts:password-reset"))
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes after commit
        response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert client.get(response["Location"]).status_code == 200

    # an e-mail with a link arrives
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = re.search(r"https?://[^/\s]+(/accounts/staff/password/reset/\S+/\S+/)", message.body)
    assert link, message.body

    # the link leads to the form for a new password (Django swaps the token for a session)
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password-reset-complete")

    # the password is changed and the lockout is gone
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(user.pk), details__lockout_cleared__gte=1
    ).exists()
    response = client.post(LOGIN, {"username": user.username, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_weak_new_password_is_refused_with_an_error_summary(
    client, demo, django_capture_on_commit_callbacks
):
    user = demo.user["askim.redaktor"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": user.email})
    link = re.search(r"(/accounts/staff/password/reset/\S+/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "ds-error-summary" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_no_mail_for_unknown_addresses_or_citizens(
    client, demo, django_capture_on_commit_callbacks
):
    from samvirke.accounts import services

    citizen = services.citizen_login_from_eid(
        provider="test", national_id="01017012345", full_name="Ola Nordmann", acr="high"
    )
    citizen.email = "ola@example.invalid"
    citizen.set_password("A-long-citizen-password-1")
    citizen.save()
    for email in ("nobody@example.invalid", "ola@example.invalid"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password-reset"), {"email": email})
        assert response.status_code == 302  # the same answer either way
    assert mail.outbox == []


def test_an_invalid_link_says_so(client, demo):
    response = client.get(
        reverse("accounts:password-reset-confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})
    )
    assert response.status_code == 200
    assert not response.context["validlink"]
