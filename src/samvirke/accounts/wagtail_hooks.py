"""Back-office menu and URLs for staff accounts: "Staff users" for administrators, and
"Security" (two-step verification) for every staff member."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from samvirke.accounts import admin_views, selectors

staff_urlpatterns = (
    [
        path("", admin_views.staff_index, name="index"),
        path("<int:organisation_id>/", admin_views.staff_list, name="list"),
        path("<int:organisation_id>/new/", admin_views.staff_create, name="create"),
        path("<int:organisation_id>/<int:user_id>/", admin_views.staff_edit, name="edit"),
        path(
            "<int:organisation_id>/<int:user_id>/reset-second-factor/",
            admin_views.staff_second_factor_reset,
            name="reset-second-factor",
        ),
        path(
            "<int:organisation_id>/<int:user_id>/unlock/", admin_views.staff_unlock, name="unlock"
        ),
    ],
    "samvirke_staff",
)


@hooks.register("register_admin_urls")
def register_staff_admin_urls():
    return [path("staff/", include(staff_urlpatterns))]


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.user_administers_any_organisation(request.user)


@hooks.register("register_admin_menu_item")
def register_staff_menu_item():
    return AdministratorMenuItem(
        _("Staff users"),
        reverse_lazy("samvirke_staff:index"),
        name="staff-users",
        icon_name="group",
        order=9000,
    )


@hooks.register("register_admin_menu_item")
def register_security_menu_item():
    return MenuItem(
        _("Security"),
        reverse_lazy("accounts:staff-security"),
        name="sign-in-security",
        icon_name="lock",
        order=9010,
    )
