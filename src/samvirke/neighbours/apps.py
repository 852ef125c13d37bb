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
        from samvirke.cases.submission.services import register_follow_link, register_pre_case_step
        from samvirke.neighbours import receivers  # noqa: F401  (connects its receivers)
        from samvirke.neighbours.selectors import status_link
        from samvirke.neighbours.services import neighbour_notification_pre_case_step

        register_pre_case_step(neighbour_notification_pre_case_step)
        register_follow_link(status_link)

        from samvirke.neighbours import errors  # noqa: F401  (registers its error codes)
