"""The "Case inbox" item of the back office and its URLs, for case handlers."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from samvirke.cases.handling import urls as admin_urls
from samvirke.cases.handling.selectors import may_handle_cases


class CaseHandlerMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle_cases(request.user)


@hooks.register("register_admin_urls")
def register_case_handling_urls():
    return [path("cases/", include(admin_urls, namespace=admin_urls.app_name))]


@hooks.register("register_admin_menu_item")
def register_case_inbox_menu():
    return CaseHandlerMenuItem(
        _("Case inbox"),
        reverse("samvirke_case_handling:inbox"),
        name="case-inbox",
        icon_name="tasks",
        order=150,
    )
