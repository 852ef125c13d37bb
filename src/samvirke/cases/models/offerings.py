"""What a municipality offers its citizens: the kinds of case with their workflow as
data (CaseType), the library forms switched on per municipality (ServiceOffering, tjeneste)
and the rules that route submissions to a handling unit (RoutingRule)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samvirke.cases.models.privacy import OnlineNames


def translated_text(texts: dict | None, language: str | None = None) -> str:
    """A text kept as {"nb": …, "en": …}: the language's text, else bokmål."""
    if not texts:
        return ""
    language = (language or get_language() or "nb")[:2]
    return texts.get(language) or texts.get("nb") or next(iter(texts.values()), "")


class CaseType(models.Model):
    """A kind of case with its statuses and allowed transitions, defined as data.

    `workflow` is {"initial": key, "statuses": [{"key", "label": {lang: text},
    "citizen_label"?: {lang: text}, "phase": open|paused|decided|closed}], "transitions":
    [{"from": key, "to": key}]}; `samvirke.cases.core.workflow` checks and reads it."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.JSONField(_("name"), help_text=_('The name per language, {"nb": …, "en": …}.'))
    workflow = models.JSONField(_("workflow"), help_text=_("Statuses and allowed transitions."))
    is_confidential = models.BooleanField(
        _("confidential (need to know)"),
        default=False,
        help_text=_(
            "Only staff of the unit that handles a case, and holders of the roles named "
            "below in the handling or owning organisation, see and handle its cases."
        ),
    )
    confidential_roles = models.JSONField(
        _("roles with access to confidential cases"),
        default=list,
        blank=True,
        help_text=_(
            "Roles (for example “administrator”) whose holders in the handling or owning "
            "organisation see the cases as well as the handling unit's staff."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Public journal privacy (see models/privacy.py): set through
    # `journal.services.case_type_online_names_set`, which updates the cases' online titles.
    online_names = models.CharField(
        _("names of private persons in the online journal"),
        max_length=10,
        choices=OnlineNames.choices,
        default=OnlineNames.WITHHELD,
        help_text=_(
            "Withheld: the public journal on the internet lists the documents but not the "
            "names of private persons (offentlegforskrifta § 7). Organisations are shown."
        ),
    )

    class Meta:
        verbose_name = _("case type")
        verbose_name_plural = _("case types")
        ordering = ["slug"]

    def __str__(self) -> str:
        return translated_text(self.name)


class ServiceOffering(models.Model):
    """A form from the regional library switched on for one municipality, with that
    municipality's settings (tjeneste)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="service_offerings",
        verbose_name=_("municipality"),
    )
    form = models.ForeignKey(
        "eservices.FormDefinition",
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("form"),
    )
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("case type")
    )
    is_active = models.BooleanField(
        _("switched on"), default=True, help_text=_("Citizens can submit the form.")
    )
    responsible_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible unit"),
        help_text=_("The unit that handles cases unless a routing rule says otherwise."),
    )
    contact = models.JSONField(
        _("contact"), default=dict, blank=True, help_text=_("Contact text per language.")
    )
    fee = models.JSONField(
        _("fee"), default=dict, blank=True, help_text=_("Fee text per language.")
    )
    processing_days = models.PositiveIntegerField(
        _("processing deadline (days)"),
        default=30,
        help_text=_("Calendar days from receipt to the expected decision."),
    )
    status_texts = models.JSONField(
        _("status texts"),
        default=dict,
        blank=True,
        help_text=_("What the applicant sees per status: {status key: {language: text}}."),
    )
    screening_basis = models.CharField(
        _("screening basis"),
        max_length=200,
        blank=True,
        help_text=_(
            "Legal basis for screening cases of this service from the public journal, "
            "for example “Offl. § 13, jf. fvl. § 13 første ledd nr. 1”. Empty: public."
        ),
    )
    is_confidential = models.BooleanField(
        _("confidential (need to know)"),
        default=False,
        help_text=_(
            "Only staff of the unit that handles a case see and handle it, even when its "
            "case type is not confidential."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        ordering = ["organisation", "form"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "form"], name="cases_offering_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form} ({self.organisation})"


class RoutingRule(models.Model):
    """Where a municipality's submissions go, as data. The active rule with the lowest
    `priority` whose form, area and condition match decides the handling unit; with
    `via_arrangement` the case is handled by the arrangement's host unit while the
    municipality stays the owner. No matching rule: the offering's responsible unit."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("municipality"),
    )
    form = models.ForeignKey(
        "eservices.FormDefinition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("form"),
        help_text=_("Empty: every form in the area of work."),
    )
    area = models.ForeignKey(
        "organisations.AreaOfWork",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area of work"),
        help_text=_("Empty: every area of work."),
    )
    condition = models.JSONField(
        _("condition"),
        null=True,
        blank=True,
        help_text=_("A condition on the answers, written as a form's visible_if."),
    )
    via_arrangement = models.ForeignKey(
        "organisations.CooperationArrangement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("through arrangement"),
        help_text=_("Route to this arrangement's host unit."),
    )
    target_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("The handling unit (empty with an arrangement: its host unit)."),
    )
    priority = models.PositiveIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["organisation", "priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_unit__isnull=False)
                | models.Q(via_arrangement__isnull=False),
                name="cases_routing_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.form or self.area or '*'}"
