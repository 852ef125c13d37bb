from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "samvirke.web"
    verbose_name = _("Web")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django_tasks.signals import task_finished

        from samvirke.core.files import pending_files_discard
        from samvirke.web import (
            checks,  # noqa: F401  (the `check --deploy` checks)
            jobs,  # noqa: F401  (registers the orphan files sweep)
        )

        # a request or a task whose transaction did not commit leaves no file behind
        request_finished.connect(pending_files_discard, dispatch_uid="samvirke-files-request")
        task_finished.connect(pending_files_discard, dispatch_uid="samvirke-files-task")
