from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "samvirke.integrations"
    label = "integrations"
    verbose_name = _("Integrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from samvirke.integrations import (
            errors,  # noqa: F401  (registers its error codes)
            jobs,  # noqa: F401  (registers its periodic job)
            receivers,  # noqa: F401  (connects the signals)
        )
