"""Back-office hooks for a municipality's e-services: the "E-services" menu item (for
administrators of a member municipality) and the admin URLs under
/admin/service-offerings/ (see `offering_views`)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from samvirke.cases import offering_views as views
from samvirke.cases.offerings import administered_municipalities

app_name = views.NS
urlpatterns = [
    path("", views.offering_index, name="index"),
    path("<int:organisation_id>/", views.offering_list, name="list"),
    path("<int:organisation_id>/forms/<int:form_id>/", views.offering_edit, name="edit"),
    path("<int:organisation_id>/forms/<int:form_id>/switch/", views.offering_switch, name="switch"),
    path("<int:organisation_id>/forms/<int:form_id>/rules/add/", views.rule_add, name="rule_add"),
    path(
        "<int:organisation_id>/forms/<int:form_id>/rules/<int:rule_id>/",
        views.rule_edit,
        name="rule_edit",
    ),
    path(
        "<int:organisation_id>/forms/<int:form_id>/rules/<int:rule_id>/delete/",
        views.rule_delete,
        name="rule_delete",
    ),
]


class OfferingMenuItem(MenuItem):
    def is_shown(self, request):
        return administered_municipalities(request.user).exists()


@hooks.register("register_admin_urls")
def register_offering_urls():
    return [path("service-offerings/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_offering_menu():
    return OfferingMenuItem(
        _("E-services"),
        reverse(f"{views.NS}:index"),
        name="service-offerings",
        icon_name="form",
        order=265,
    )
