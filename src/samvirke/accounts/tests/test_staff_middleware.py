"""StaffSecondFactorMiddleware: a logged-in staff session that has not passed the second
factor reaches nothing but the sign-in pages; the API refuses it with a 403."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.demo import DEMO_TOTP_KEY

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:staff-login-verify")
ENROL = reverse("accounts:staff-login-enrol")
ADMIN_HOME = reverse("wagtailadmin_home")


def wrong_code() -> str:
    return f"{(totp(bytes.fromhex(DEMO_TOTP_KEY)) + 500_000) % 1_000_000:06d}"


def test_an_unverified_admin_session_is_sent_to_the_code_step(client, demo):
    # given an administrator logged in by password only (no OTP in the session)
    admin = demo.user["askim.admin"]
    client.force_login(admin)

    # when they open the back office or a staff page
    for path in (ADMIN_HOME, "/admin/pages/", reverse("accounts:staff-security")):
        response = client.get(path)
        # then they are sent to the code step, coming back afterwards
        assert response.status_code == 302
        assert response["Location"] == f"{VERIFY}?{urlencode({'next': path})}"

    # and after the code they get there
    response = client.post(
        f"{VERIFY}?next=/admin/pages/",
        {"code": f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}", "next": "/admin/pages/"},
    )
    assert response["Location"] == "/admin/pages/"
    assert client.get(ADMIN_HOME).status_code == 200


def test_an_admin_whose_second_factor_was_reset_is_sent_to_enrol(client, demo):
    admin = demo.user["spydeberg.admin"]
    client.force_login(admin)
    TOTPDevice.objects.filter(user=admin).delete()
    response = client.get(ADMIN_HOME)
    assert response["Location"].startswith(ENROL)


def test_a_verified_session_passes(client, demo, login):
    login(client, demo.user["askim.admin"])
    assert client.get(ADMIN_HOME).status_code == 200


def test_staff_who_need_no_second_factor_pass(client, demo):
    client.force_login(demo.user["askim.saksbehandler"])
    assert client.get(ADMIN_HOME).status_code == 200


def test_the_sign_in_pages_and_logout_stay_open(client, demo):
    client.force_login(demo.user["askim.admin"])
    assert client.get(VERIFY).status_code == 200
    assert client.get(reverse("accounts:password-reset")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_api_refuses_an_unverified_session_with_403_json(client, demo):
    client.force_login(demo.user["askim.admin"])
    response = client.get("/api/v1/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"


def test_the_api_accepts_a_verified_session(client, demo, login):
    login(client, demo.user["askim.admin"])
    assert client.get("/api/v1/").status_code == 200


def test_token_requests_are_left_to_the_api(client, demo):
    # a token request is the API's to judge (here: a bad token, 401), not the middleware's
    client.force_login(demo.user["askim.admin"])
    response = client.get("/api/v1/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


def test_citizens_are_unaffected(client, demo):
    from samvirke.accounts import services

    citizen = services.citizen_login_from_eid(
        provider="test", national_id="01017012345", full_name="Kari Nordmann", acr="high"
    )
    client.force_login(citizen)
    assert client.get(reverse("web:home")).status_code == 200


def test_an_unverified_session_that_gets_codes_wrong_is_ended(client, demo):
    admin = demo.user["askim.admin"]
    client.force_login(admin)
    for _attempt in range(4):
        TOTPDevice.objects.filter(user=admin).update(
            throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
        )
        assert client.post(VERIFY, {"code": wrong_code()}).status_code == 200
    TOTPDevice.objects.filter(user=admin).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )
    response = client.post(VERIFY, {"code": wrong_code()})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
