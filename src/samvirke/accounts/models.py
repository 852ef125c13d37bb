"""Accounts: staff users with memberships and roles, and citizens identified by eID.

A staff user belongs to one or more organisations (usually one) and to units in them, and
holds roles per organisation. Through a cooperation arrangement, staff of the host's unit
act for the participants in the arrangement's area; that grant is derived in
`samvirke.accounts.access`, never stored per object.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")


class User(AbstractUser):
    kind = models.CharField(
        _("kind"), max_length=16, choices=UserKind.choices, default=UserKind.STAFF
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    @property
    def is_citizen(self) -> bool:
        return self.kind == UserKind.CITIZEN


class CitizenIdentity(models.Model):
    """The link between a citizen's account and their national identity number (`pid`).

    The identity number is personal data: it is never put in a URL or a log line, and
    every read of it through a service is audited."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="citizen_identity", verbose_name=_("user")
    )
    national_id = models.CharField(_("national identity number"), max_length=11, unique=True)
    provider = models.CharField(_("identity provider"), max_length=64)
    last_acr = models.CharField(_("last assurance level"), max_length=64, blank=True)
    last_login_at = models.DateTimeField(_("last eID login"), default=timezone.now)

    class Meta:
        verbose_name = _("citizen identity")
        verbose_name_plural = _("citizen identities")

    def __str__(self) -> str:
        return str(self.user)


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    EDITOR = "editor", _("Editor")
    CASE_HANDLER = "case_handler", _("Case handler")
    COORDINATOR = "coordinator", _("Coordinator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    READER = "reader", _("Reader")
    EMERGENCY_ACCESS = "emergency_access", _("Emergency access (break the glass)")


class Membership(models.Model):
    """A staff user's employment in an organisation, and the units they work in."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    units = models.ManyToManyField(
        "organisations.Unit", blank=True, related_name="memberships", verbose_name=_("units")
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class RoleAssignment(models.Model):
    """A role held in one organisation (optionally limited to one unit)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="role_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} ({self.organisation})"
