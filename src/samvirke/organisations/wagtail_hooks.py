"""The "Cooperation" section of the back office: arrangements, the register,
organisations and units, areas of work."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from samvirke.organisations import admin_urls


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users with `permission`."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        # the sidebar asks every item; ask the permission backend once per request
        checked = request.__dict__.setdefault("_samvirke_menu_permissions", {})
        if self.permission not in checked:
            checked[self.permission] = request.user.has_perm(self.permission)
        return checked[self.permission]


@hooks.register("register_admin_urls")
def register_cooperation_urls():
    return [path("cooperation/", include(admin_urls, namespace=admin_urls.app_name))]


def _menu_items():
    return [
        PermissionMenuItem(
            _("Register"),
            reverse("samvirke_cooperation:register"),
            name="cooperation-register",
            icon_name="table",
            order=100,
            permission="organisations.view_register",
        ),
        PermissionMenuItem(
            _("Arrangements"),
            reverse("samvirke_cooperation:arrangement_index"),
            name="cooperation-arrangements",
            icon_name="group",
            order=200,
            permission="organisations.view_register",
        ),
        PermissionMenuItem(
            _("Organisations"),
            reverse("samvirke_cooperation:organisation_index"),
            name="cooperation-organisations",
            icon_name="site",
            order=300,
            permission="organisations.view_register",
        ),
        PermissionMenuItem(
            _("Areas of work"),
            reverse("samvirke_cooperation:area_index"),
            name="cooperation-areas",
            icon_name="tag",
            order=400,
            permission="organisations.view_register",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_cooperation_menu():
    return SubmenuMenuItem(
        _("Cooperation"),
        Menu(items=_menu_items()),
        name="cooperation",
        icon_name="group",
        order=250,
    )
