from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "samvirke.notifications"
    label = "notifications"
    verbose_name = pgettext_lazy("message", "Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the channels register themselves in `notification_channels` on import
        from samvirke.notifications import (
            channels,  # noqa: F401
            jobs,  # noqa: F401  (registers its periodic job)
        )
