"""`samvirke demo-totp USERNAME`: the current TOTP code of a demo user, so a demo can log
in as an administrator without a phone. Only with the demo/test settings (where the
development identity provider is on too), and only for devices with the published demo key:
a real user's authenticator is never read out."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff user (demo settings only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not getattr(settings, "SAMVIRKE_DEV_IDP_ENABLED", False):
            raise CommandError(_("demo-totp only runs with the demo or test settings."))
        device = TOTPDevice.objects.filter(
            user__username=username, confirmed=True, key=DEMO_TOTP_KEY
        ).first()
        if device is None:
            raise CommandError(
                _("%(username)s has no authenticator with the demo key.") % {"username": username}
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
