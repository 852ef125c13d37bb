from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "samvirke.eservices"
    label = "eservices"
    verbose_name = _("E-services")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from samvirke.eservices import errors  # noqa: F401  (registers its error codes)
