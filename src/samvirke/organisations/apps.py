from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "samvirke.organisations"
    verbose_name = _("Organisations and cooperation")

    def ready(self) -> None:
        from samvirke.organisations import errors  # noqa: F401  (registers its error codes)
