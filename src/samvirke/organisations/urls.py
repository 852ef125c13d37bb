from django.urls import path

from samvirke.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.register, name="register"),
    path(
        "register/<slug:municipality_slug>/<slug:area_code>/",
        views.register_cell,
        name="register_cell",
    ),
    path("arrangements/<slug:slug>/", views.arrangement_detail, name="arrangement_detail"),
    path("documents/<int:document_id>/", views.document_download, name="document_download"),
]
