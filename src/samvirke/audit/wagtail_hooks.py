"""The audit log in the back office menu, for administrators and regional coordinators."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from samvirke.audit import admin_urls


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("audit.view_auditevent")


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include(admin_urls, namespace=admin_urls.app_name))]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditLogMenuItem(
        _("Audit log"),
        reverse("samvirke_audit:event_index"),
        name="audit-log",
        icon_name="history",
        order=900,
    )
