"""Demo staff users in several municipalities and roles (all invented, test data only).

Every demo staff user has the password in DEMO_PASSWORD. Administrators and the regional
coordinator must use a second factor; theirs is a TOTP device with the demo key below, and
`samvirke demo-totp USERNAME` prints the current code (demo settings only).
"""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts import services
from samvirke.accounts.models import Role, User
from samvirke.organisations.models import Organisation, Unit

DEMO_PASSWORD = "Samvirke-demo-2026"
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # hex; test data only

# username, full name, municipality slug, unit slugs, roles, job title, has TOTP
STAFF = [
    (
        "askim.admin",
        "Astrid Admin (demo)",
        "askim",
        ["ikt"],
        [Role.ADMINISTRATOR],
        "Systemansvarlig",
        True,
    ),
    (
        "askim.saksbehandler",
        "Anders Saksbehandler (demo)",
        "askim",
        ["servicetorget"],
        [Role.CASE_HANDLER],
        "Saksbehandler",
        False,
    ),
    (
        "askim.barnevern",
        "Berit Barnevernkonsulent (demo)",
        "askim",
        ["barnevern"],
        [Role.CASE_HANDLER],
        "Barnevernkonsulent",
        False,
    ),
    (
        "askim.helse",
        "Hanne Hjemmetjenestekonsulent (demo)",
        "askim",
        ["helse-og-omsorg"],
        [Role.CASE_HANDLER],
        "Saksbehandler, helse og omsorg",
        False,
    ),
    (
        "askim.vakthavende",
        "Vidar Vakthavende (demo)",
        "askim",
        ["radmannen"],
        [Role.CASE_HANDLER, Role.EMERGENCY_ACCESS],
        "Kommunedirektørens beredskapsvakt",
        False,
    ),
    (
        "askim.redaktor",
        "Eva Redaktør (demo)",
        "askim",
        ["servicetorget"],
        [Role.EDITOR],
        "Nettredaktør",
        False,
    ),
    (
        "region.koordinator",
        "Kari Koordinator (demo)",
        "askim",
        ["ikt"],
        [Role.REGIONAL_COORDINATOR, Role.COORDINATOR],
        "IKT-koordinator for Smaalensveven",
        True,
    ),
    (
        "spydeberg.ppt",
        "Per PPT-rådgiver (demo)",
        "spydeberg",
        ["ppt"],
        [Role.CASE_HANDLER],
        "PPT-rådgiver",
        False,
    ),
    (
        "spydeberg.admin",
        "Siri Systemansvarlig (demo)",
        "spydeberg",
        ["ikt"],
        [Role.ADMINISTRATOR],
        "Systemansvarlig",
        True,
    ),
    (
        "skiptvet.saksbehandler",
        "Sondre Saksbehandler (demo)",
        "skiptvet",
        ["servicetorget"],
        [Role.CASE_HANDLER],
        "Saksbehandler",
        False,
    ),
    (
        "eidsberg.ppt",
        "Elin PPT-rådgiver (demo)",
        "eidsberg",
        ["ppt"],
        [Role.CASE_HANDLER],
        "PPT-rådgiver",
        False,
    ),
    (
        "hobol.koordinator",
        "Hans Koordinator (demo)",
        "hobol",
        ["radmannen"],
        [Role.COORDINATOR],
        "Samarbeidskoordinator",
        False,
    ),
]


def load() -> None:
    for username, full_name, org_slug, unit_slugs, roles, title, has_totp in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            organisation = Organisation.objects.get(slug=org_slug)
            user = services.staff_user_create(
                username=username,
                full_name=full_name,
                email=f"{username}@{org_slug}.kommune.invalid",
                organisation=organisation,
                password=DEMO_PASSWORD,
                title=title,
                roles=roles,
                units=Unit.objects.filter(organisation=organisation, slug__in=unit_slugs),
            )
        # staff users made before the back-office group existed join it here
        user.groups.add(services.staff_group())
        if has_totp and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name="Demo", key=DEMO_TOTP_KEY, confirmed=True)
