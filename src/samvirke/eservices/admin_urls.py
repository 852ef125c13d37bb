"""Back-office URLs, mounted under /admin/e-services/ by `wagtail_hooks`."""

from django.urls import path

from samvirke.eservices import staff_views as views

app_name = "samvirke_eservices"
urlpatterns = [
    path("forms/", views.form_index, name="form_index"),
    path("forms/import/", views.form_import, name="form_import"),
    path("forms/<int:form_id>/", views.form_edit, name="form_edit"),
    path("forms/<int:form_id>/publish/", views.form_publish, name="form_publish"),
    path("forms/<int:form_id>/preview/", views.form_preview, name="form_preview"),
    path("forms/<int:form_id>/export.json", views.form_export, name="form_export"),
]
