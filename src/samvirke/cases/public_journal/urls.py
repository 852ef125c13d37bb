"""The public journal (/public-journal/) per municipality and for the region, and access
requests (innsynskrav) from it."""

from django.urls import path

from samvirke.cases.public_journal import views as journal_views

app_name = "cases_journal"

urlpatterns = [
    path("", journal_views.journal_region, name="region"),
    path(
        "entries/<int:pk>/request-access/",
        journal_views.access_request,
        name="access-request",
    ),
    path(
        "access-requests/<int:pk>/received/",
        journal_views.access_request_received,
        name="access-received",
    ),
    path("<slug:slug>/", journal_views.journal_for_municipality, name="municipality"),
]
