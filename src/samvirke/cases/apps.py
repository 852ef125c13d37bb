from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "samvirke.cases"
    label = "cases"
    verbose_name = _("Cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from samvirke.cases import (
            errors,  # noqa: F401  (registers its error codes)
            jobs,  # noqa: F401  (registers its periodic jobs)
        )
