from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "samvirke.api"
    verbose_name = _("API")

    def ready(self) -> None:
        from samvirke.api import errors  # noqa: F401  (registers its error codes)
