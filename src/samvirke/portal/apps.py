from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "samvirke.portal"
    verbose_name = _("Portals")

    def ready(self):
        # page signals → audit events (admin hooks are in wagtail_hooks.py); the
        # organisation register's announcements → each member municipality's site
        from samvirke.portal import page_audit, receivers  # noqa: F401, I001

        # the page types render with the portal's reads, which import the page types, so
        # the reads are handed in here (see `models.PortalPage`)
        from samvirke.portal import feeds, models, selectors

        models.PortalPage.reads = selectors
        models.PortalPage.feeds = feeds

        from samvirke.portal import errors  # noqa: F401  (registers its error codes)
