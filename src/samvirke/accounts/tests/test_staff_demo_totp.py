"""`samvirke demo-totp`: only with demo settings, only for the demo key."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.demo import DEMO_TOTP_KEY

pytestmark = pytest.mark.django_db


def test_prints_the_current_code_of_a_demo_user(demo):
    out = StringIO()
    call_command("demo_totp", "askim.admin", stdout=out)
    assert out.getvalue().strip() == f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"


def test_refuses_without_the_demo_settings(demo):
    with override_settings(SAMVIRKE_DEV_IDP_ENABLED=False), pytest.raises(CommandError):
        call_command("demo_totp", "askim.admin", stdout=StringIO())


def test_refuses_a_device_with_a_real_key(demo):
    user = demo.user["askim.saksbehandler"]
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    with pytest.raises(CommandError):
        call_command("demo_totp", user.username, stdout=StringIO())
