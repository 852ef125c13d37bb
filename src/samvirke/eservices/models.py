"""E-service forms in the regional library (skjemabibliotek): a form and its versions.

A version's definition is JSON in the format described in docs/forms.md and checked
against `schema/form-definition.schema.json`. A published version is never changed:
changing a form means adding a version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Authentication(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous")
    EID_SUBSTANTIAL = "eid_substantial", _("eID, level substantial")
    EID_HIGH = "eid_high", _("eID, level high")


class FormDefinition(models.Model):
    """A form in the regional library, shared by every member municipality."""

    slug = models.SlugField(
        _("slug"), unique=True, help_text=_("The form's short name in addresses and files.")
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("The title in bokmål."))
    area = models.ForeignKey(
        "organisations.AreaOfWork",
        on_delete=models.PROTECT,
        related_name="form_definitions",
        verbose_name=_("area of work"),
        help_text=_("The area of work the form belongs to."),
    )
    authentication = models.CharField(
        _("authentication"),
        max_length=20,
        choices=Authentication.choices,
        default=Authentication.EID_SUBSTANTIAL,
        help_text=_("Whether the form needs an eID login, and at which level."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the form was added.")
    )

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class FormVersion(models.Model):
    """One version of a form's definition. Published versions are immutable."""

    form = models.ForeignKey(
        FormDefinition,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("form"),
        help_text=_("The form this is a version of."),
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("1, 2, 3… per form."))
    definition = models.JSONField(
        _("definition"), help_text=_("The form definition (see docs/forms.md).")
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("A published version can no longer change.")
    )
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("When the version was published.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Who saved this version (empty for imports by the system)."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the version was saved.")
    )

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="eservices_version_unique"),
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(published_at__isnull=False),
                name="eservices_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"
