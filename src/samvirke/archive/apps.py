from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "samvirke.archive"
    label = "archive"
    verbose_name = _("Archive export")
    default_auto_field = "django.db.models.BigAutoField"
