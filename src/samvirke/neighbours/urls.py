"""Neighbour notification's public URLs, mounted at /neighbour-notice/."""

from django.urls import path

from samvirke.neighbours import views

app_name = "neighbours"
urlpatterns = [
    path("status/<uuid:key>/", views.status, name="status"),
    path("status/<uuid:key>/send/", views.forward, name="forward"),
    path(
        "status/<uuid:key>/documents/<int:document_id>/",
        views.applicant_document,
        name="applicant-document",
    ),
    path("<str:token>/", views.notice, name="notice"),
    path("<str:token>/plans/<int:document_id>/", views.plan, name="plan"),
]
