"""Staff login: password, then the TOTP code; enrolment when the role requires a second
factor; lockout after repeated failures; the second-factor middleware."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY
from samvirke.accounts.models import Role
from samvirke.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:staff-login")
VERIFY = reverse("accounts:staff-login-verify")
ENROL = reverse("accounts:staff-login-enrol")


def demo_code() -> str:
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"


def wrong_code() -> str:
    return f"{(int(demo_code()) + 500_000) % 1_000_000:06d}"


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def allow_next_code(user) -> None:
    """django-otp makes you wait 1, 2, 4… seconds after a wrong code; skip the wait."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )


def post_password(client, username, password=DEMO_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def session_user_id(client):
    return client.session.get("_auth_user_id")


def test_admin_logs_in_with_password_and_totp_and_lands_in_the_back_office(client, demo):
    # given an administrator with a confirmed authenticator
    admin = demo.user["askim.admin"]

    # when they give the right password
    response = post_password(client, "askim.admin")

    # then they are asked for the code, and are not logged in yet
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert session_user_id(client) is None
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    # when they give the code
    response = client.post(VERIFY, {"code": demo_code()})

    # then they are logged in, verified, in the back office
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert session_user_id(client) == str(admin.pk)
    assert client.session.get("otp_device_id")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    login = AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=admin).get()
    assert login.details["second_factor"] == "totp"


def test_a_safe_next_is_honoured_and_an_unsafe_one_is_not(client, demo):
    post_password(client, "askim.admin", next="/admin/pages/")
    response = client.post(VERIFY, {"code": demo_code()})
    assert response["Location"] == "/admin/pages/"

    client.post(reverse("accounts:logout"))
    response = post_password(client, "askim.saksbehandler", next="https://evil.example/")
    assert response["Location"] == reverse("wagtailadmin_home")


def test_staff_without_second_factor_log_in_with_the_password(client, demo):
    response = post_password(client, "askim.saksbehandler")
    assert response.status_code == 302
    assert session_user_id(client) == str(demo.user["askim.saksbehandler"].pk)
    # Wagtail's back office opens for staff (the Staff group gives access_admin)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_wrong_password_is_refused_and_audited_without_the_password(client, demo):
    response = post_password(client, "askim.admin", password="not-the-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "ds-error-summary" in body
    assert 'href="#id_username"' in body
    assert session_user_id(client) is None
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("id")
    assert event.details == {"username": "askim.admin", "step": "password"}
    assert "not-the-password" not in str(event.details) + str(event.changes)
    assert AccessAttempt.objects.filter(username="askim.admin").get().failures_since_start == 1


def test_wrong_code_is_refused_and_the_right_one_then_works(client, demo):
    admin = demo.user["askim.admin"]
    post_password(client, "askim.admin")

    response = client.post(VERIFY, {"code": wrong_code()})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert session_user_id(client) is None
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, details__step="totp").exists()

    allow_next_code(admin)
    response = client.post(VERIFY, {"code": demo_code()})
    assert response.status_code == 302
    assert session_user_id(client) == str(admin.pk)


def test_the_code_step_without_a_password_first_sends_to_the_login(client, demo):
    response = client.get(VERIFY)
    assert response["Location"] == LOGIN


def test_lockout_after_five_wrong_passwords_shows_the_lockout_page(client, demo):
    for _attempt in range(4):
        assert post_password(client, "askim.redaktor", password="wrong").status_code == 200

    # the fifth failure locks the user name out
    response = post_password(client, "askim.redaktor", password="wrong")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Retry-After" in response.headers
    assert reverse("accounts:password-reset") in body
    assert 'role="alert"' in body

    # and even the right password is refused while locked
    response = post_password(client, "askim.redaktor")
    assert response.status_code == 429
    assert session_user_id(client) is None


def test_wrong_codes_count_towards_the_lockout(client, demo):
    admin = demo.user["askim.admin"]
    post_password(client, "askim.admin")
    statuses = []
    for _attempt in range(5):
        allow_next_code(admin)
        statuses.append(client.post(VERIFY, {"code": wrong_code()}).status_code)
    assert statuses == [200, 200, 200, 200, 429]
    # the half-login is over: the code page sends back to the login
    assert client.get(VERIFY)["Location"] == LOGIN
    assert post_password(client, "askim.admin").status_code == 429


def test_administrator_without_a_device_must_enrol_before_getting_in(client, demo):
    # given an administrator whose authenticator was removed
    admin = demo.user["spydeberg.admin"]
    TOTPDevice.objects.filter(user=admin).delete()

    # when they give the right password
    response = post_password(client, "spydeberg.admin")

    # then they must set up an authenticator, and are not logged in yet
    assert response["Location"] == ENROL
    assert session_user_id(client) is None
    page = client.get(ENROL)
    body = page.content.decode()
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = page.context["secret"]
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in body
    # a reload shows the same key
    assert client.get(ENROL).context["secret"] == secret
    assert client.get(reverse("wagtailadmin_home")).status_code == 302

    # a wrong code does not confirm it
    assert (
        client.post(
            ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"}
        ).status_code
        == 200
    )
    device.refresh_from_db()
    assert not device.confirmed

    # the right one does, and logs them in verified
    device.throttle_reset()
    response = client.post(ENROL, {"code": code_for(device)})
    assert response["Location"] == reverse("wagtailadmin_home")
    device.refresh_from_db()
    assert device.confirmed
    assert session_user_id(client) == str(admin.pk)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, actor=admin, details__second_factor="enrolled"
    ).exists()


def test_the_enrolment_page_is_not_offered_to_someone_who_has_a_device(client, demo):
    post_password(client, "askim.admin")
    assert client.get(ENROL)["Location"].startswith(VERIFY)


def test_other_staff_may_enrol_voluntarily_from_the_security_page(client, demo, login):
    user = demo.user["askim.saksbehandler"]
    login(client, user)
    page = client.get(reverse("accounts:staff-security"))
    assert page.status_code == 200
    assert ENROL in page.content.decode()

    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": code_for(device)})
    assert response["Location"] == reverse("accounts:staff-security")
    assert TOTPDevice.objects.get(user=user).confirmed
    # the session that enrolled is verified; the next login asks for the code
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert post_password(client, "askim.saksbehandler")["Location"] == VERIFY


def test_citizens_cannot_use_the_staff_login(client, demo):
    from samvirke.accounts import services

    citizen = services.citizen_login_from_eid(
        provider="test", national_id="01017012345", full_name="Ola Nordmann", acr="high"
    )
    citizen.set_password("A-long-citizen-password-1")
    citizen.save()
    response = post_password(client, citizen.username, password="A-long-citizen-password-1")
    assert response.status_code == 200
    assert session_user_id(client) is None


def test_wagtails_own_login_is_not_reachable(client, demo):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    response = client.get(reverse("wagtailadmin_home"))
    assert response["Location"].startswith(LOGIN)


def test_role_requirement_covers_administrators_and_regional_coordinators(demo):
    from samvirke.accounts.services import staff_requires_second_factor

    assert staff_requires_second_factor(demo.user["askim.admin"])
    assert staff_requires_second_factor(demo.user["region.koordinator"])
    assert not staff_requires_second_factor(demo.user["askim.saksbehandler"])
    assert not staff_requires_second_factor(demo.user["hobol.koordinator"])
    assert Role.REGIONAL_COORDINATOR in {
        r.role for r in demo.user["region.koordinator"].role_assignments.all()
    }
