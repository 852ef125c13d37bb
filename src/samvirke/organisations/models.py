"""Organisations and cooperation arrangements: the heart of the data model.

Cooperation between municipalities is not one fixed set (the seeds: "it is not always the
seven of us"). Each `CooperationArrangement` (interkommunalt samarbeid / mellankommunal
samverkan) has its own participants, a host organisation (vertskommune / värdkommun), a
legal form, an area of work and a cost key. Who may handle whose matters, who pays what
share, which network a person belongs to: all of it hangs off these models.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TranslatedNameMixin(models.Model):
    """A name kept in each of the platform's languages, edited as data.

    `names` maps a language code to the name in that language; `name` is the bokmål name
    and the fallback."""

    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        help_text=_('Language code to name, for example {"en": "Library", "sv": "Bibliotek"}.'),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        language = (language or get_language() or "nb")[:2]
        return self.names.get(language) or self.name


class Region(models.Model):
    """The cooperation that operates one deployment, e.g. Smaalensveven in Indre Østfold."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    COUNTY = "county", _("County")
    COUNTY_GOVERNOR = "county_governor", _("County governor")
    STATE_AGENCY = "state_agency", _("State agency")
    INTER_MUNICIPAL_COMPANY = "inter_municipal_company", _("Inter-municipal company")
    VENDOR = "vendor", _("Vendor")
    NETWORK_OPERATOR = "network_operator", _("Network operator")


class Organisation(models.Model):
    """A member municipality, or one of the organisations the members work with."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    number = models.CharField(
        _("municipality number"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality number has four digits."))],
        help_text=_("The official four-digit municipality number (kommunenummer)."),
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("An organisation number has nine digits."))],
        help_text=_("The nine-digit number in the Central Coordinating Register."),
    )
    is_member = models.BooleanField(
        _("member of the cooperation"),
        default=False,
        help_text=_("Members run the platform together; partners are only referred to."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "number"],
                condition=~Q(number=""),
                name="organisation_unique_number_in_region",
            ),
            models.CheckConstraint(
                condition=~Q(kind="municipality") | ~Q(number=""),
                name="municipality_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPALITY


class Unit(models.Model):
    """A unit inside an organisation (enhet / avdeling); units form a tree."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"))
    area = models.ForeignKey(
        "AreaOfWork",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("area of work"),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Public units are shown to citizens and other organisations."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unit_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class AreaOfWork(TranslatedNameMixin):
    """A field of work (fagområde): kindergarten, library, PPT, ICT… Editable as data."""

    code = models.SlugField(_("code"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("area of work")
        verbose_name_plural = _("areas of work")
        ordering = ["position", "name"]


class LegalForm(models.TextChoices):
    INTER_MUNICIPAL_COMPANY = "inter_municipal_company", _("Inter-municipal company")
    HOST_MUNICIPALITY = "host_municipality", _("Host-municipality cooperation")
    JOINT_BODY = "joint_body", _("Joint body")
    AGREEMENT = "agreement", _("Agreement")
    INFORMAL_NETWORK = "informal_network", _("Informal network")
    PROJECT = "project", _("Project")


class ArrangementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class CooperationArrangement(models.Model):
    """An inter-municipal cooperation (interkommunalt samarbeid): who works with whom, on
    what, who hosts it (vertskommune) and who pays which share."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="arrangements", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        AreaOfWork,
        on_delete=models.PROTECT,
        related_name="arrangements",
        verbose_name=_("area of work"),
    )
    legal_form = models.CharField(_("legal form"), max_length=32, choices=LegalForm.choices)
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hosted_arrangements",
        verbose_name=_("host organisation"),
        help_text=_("The organisation that hosts the cooperation (vertskommune)."),
    )
    host_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_arrangements",
        verbose_name=_("host unit"),
        help_text=_("Staff of this unit act for all participants in the arrangement's area."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ArrangementStatus.choices, default="active"
    )
    cost_key = models.CharField(
        _("cost key"),
        max_length=200,
        blank=True,
        help_text=_("How costs are split, for example by population or in equal shares."),
    )
    services = models.TextField(
        _("services and systems covered"), blank=True, help_text=_("One per line.")
    )
    established_on = models.DateField(_("established"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Public arrangements are shown in the register to everyone."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cooperation arrangement")
        verbose_name_plural = _("cooperation arrangements")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """An organisation's part in an arrangement, for a period, with its cost share."""

    arrangement = models.ForeignKey(
        CooperationArrangement,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("arrangement"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    cost_share = models.DecimalField(
        _("cost share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "organisation"], name="participation_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="participation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.arrangement}"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (self.starts_on is None or self.starts_on <= on) and (
            self.ends_on is None or self.ends_on >= on
        )


def agreement_upload_to(instance: "AgreementDocument", filename: str) -> str:
    return f"arrangements/{instance.arrangement_id}/{filename}"


class AgreementDocument(models.Model):
    """An agreement or other founding document of an arrangement. Not public unless
    marked so: only participants' staff see it."""

    arrangement = models.ForeignKey(
        CooperationArrangement,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("arrangement"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=agreement_upload_to)
    is_public = models.BooleanField(_("public"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title
