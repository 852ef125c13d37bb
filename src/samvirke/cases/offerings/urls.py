"""Back-office URLs for a municipality's e-services, mounted under
/admin/service-offerings/ by `offerings.admin`."""

from django.urls import path

from samvirke.cases.offerings import views

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
