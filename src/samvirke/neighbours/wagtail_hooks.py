"""The "Neighbour notices" item of the back office, for case handlers."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from samvirke.accounts.access import grants_for
from samvirke.cases.core.selectors import HANDLER_ROLES
from samvirke.neighbours import admin_urls


class HandlerMenuItem(MenuItem):
    def is_shown(self, request):
        return any(g.role in HANDLER_ROLES for g in grants_for(request.user))


@hooks.register("register_admin_urls")
def register_neighbours_urls():
    return [path("neighbour-notices/", include(admin_urls, namespace=admin_urls.app_name))]


@hooks.register("register_admin_menu_item")
def register_neighbours_menu():
    return HandlerMenuItem(
        _("Neighbour notices"),
        reverse("samvirke_neighbours:list"),
        name="neighbour-notices",
        icon_name="group",
        order=320,
    )
