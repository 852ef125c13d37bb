"""Back-office URLs for case handling, mounted under /admin/cases/ by `handling.admin`."""

from django.urls import path

from samvirke.cases.handling import views
from samvirke.cases.screening import views as screening_views

app_name = "samvirke_case_handling"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("emergency-access/", views.emergency_access, name="emergency_access"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/screening/", screening_views.case_screening, name="case_screening"),
    path(
        "<int:case_id>/journal/<int:entry_id>/screening/",
        screening_views.entry_screening,
        name="entry_screening",
    ),
    path(
        "<int:case_id>/documents/<int:document_id>/",
        views.case_document,
        name="case_document",
    ),
]
