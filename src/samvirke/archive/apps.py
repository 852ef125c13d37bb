from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "samvirke.archive"
    label = "archive"
    verbose_name = _("Archive export")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from samvirke.archive import errors  # noqa: F401  (registers its error codes)
