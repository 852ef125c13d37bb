from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighboursConfig(AppConfig):
    name = "samvirke.neighbours"
    label = "neighbours"
    verbose_name = _("Neighbour notification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # a building application that names neighbours waits for them before its case opens
        from samvirke.cases.submitting import register_pre_case_step
        from samvirke.neighbours.services import neighbour_notification_pre_case_step

        register_pre_case_step(neighbour_notification_pre_case_step)
