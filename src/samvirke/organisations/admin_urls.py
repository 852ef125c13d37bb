"""Back-office URLs, mounted under /admin/cooperation/ by `wagtail_hooks`."""

from django.urls import path

from samvirke.organisations import staff_views as views

app_name = "samvirke_cooperation"
urlpatterns = [
    path("arrangements/", views.arrangement_index, name="arrangement_index"),
    path("arrangements/new/", views.arrangement_create, name="arrangement_create"),
    path("arrangements/<int:arrangement_id>/", views.arrangement_detail, name="arrangement_detail"),
    path(
        "arrangements/<int:arrangement_id>/edit/", views.arrangement_edit, name="arrangement_edit"
    ),
    path(
        "arrangements/<int:arrangement_id>/participants/new/",
        views.participant_add,
        name="participant_add",
    ),
    path(
        "arrangements/<int:arrangement_id>/participants/<int:participation_id>/",
        views.participant_change,
        name="participant_change",
    ),
    path(
        "arrangements/<int:arrangement_id>/participants/<int:participation_id>/end/",
        views.participant_end,
        name="participant_end",
    ),
    path(
        "arrangements/<int:arrangement_id>/participants/<int:participation_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(
        "arrangements/<int:arrangement_id>/documents/new/",
        views.document_upload,
        name="document_upload",
    ),
    path("documents/<int:document_id>/", views.document_download, name="document_download"),
    path("organisations/", views.organisation_index, name="organisation_index"),
    path(
        "organisations/<int:organisation_id>/",
        views.organisation_detail,
        name="organisation_detail",
    ),
    path(
        "organisations/<int:organisation_id>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("organisations/<int:organisation_id>/units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("areas/", views.area_index, name="area_index"),
    path("areas/new/", views.area_create, name="area_create"),
    path("areas/<int:area_id>/", views.area_edit, name="area_edit"),
    path("register/", views.register, name="register"),
    path(
        "register/<int:municipality_id>/<slug:area_code>/",
        views.register_cell,
        name="register_cell",
    ),
    path("register/export.csv", views.register_csv, name="register_csv"),
]
