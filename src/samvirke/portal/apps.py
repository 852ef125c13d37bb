from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "samvirke.portal"
    verbose_name = _("Portals")

    def ready(self):
        # page signals → audit events (admin hooks are in wagtail_hooks.py)
        from samvirke.portal import page_audit  # noqa: F401
