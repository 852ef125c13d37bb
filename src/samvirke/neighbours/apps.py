from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighboursConfig(AppConfig):
    name = "samvirke.neighbours"
    label = "neighbours"
    verbose_name = _("Neighbour notification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # a building application that names neighbours waits for them before its case
        # opens; its receipt links to the page where the applicant follows them
        from samvirke.neighbours import (
            errors,  # noqa: F401  (registers its error codes)
            jobs,  # noqa: F401  (registers its periodic job)
            plugins,  # noqa: F401  (registers the plugins)
            receivers,  # noqa: F401  (connects its receivers)
        )
