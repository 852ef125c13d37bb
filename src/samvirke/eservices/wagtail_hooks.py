"""The "Form library" item of the back office, for form authors."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from samvirke.eservices import admin_urls


class AuthorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("eservices.author_form")


@hooks.register("register_admin_urls")
def register_eservices_urls():
    return [path("e-services/", include(admin_urls, namespace=admin_urls.app_name))]


@hooks.register("register_admin_menu_item")
def register_form_library_menu():
    return AuthorMenuItem(
        _("Form library"),
        reverse("samvirke_eservices:form_index"),
        name="form-library",
        icon_name="form",
        order=260,
    )
