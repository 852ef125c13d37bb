"""Back-office hooks for a municipality's e-services: the "E-services" menu item (for
administrators of a member municipality) and the admin URLs under
/admin/service-offerings/ (see `offerings.urls` and `offerings.views`)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from samvirke.cases.offerings import urls, views
from samvirke.cases.offerings.selectors import administered_municipalities


class OfferingMenuItem(MenuItem):
    def is_shown(self, request):
        return administered_municipalities(request.user).exists()


@hooks.register("register_admin_urls")
def register_offering_urls():
    return [path("service-offerings/", include(urls, namespace=urls.app_name))]


@hooks.register("register_admin_menu_item")
def register_offering_menu():
    return OfferingMenuItem(
        _("E-services"),
        reverse(f"{views.NS}:index"),
        name="service-offerings",
        icon_name="form",
        order=265,
    )
