from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "samvirke.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        # registers the deployment checks (`samvirke check --deploy`)
        from samvirke.web import checks  # noqa: F401
