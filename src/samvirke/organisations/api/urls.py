from django.urls import path

from samvirke.organisations.api import views

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<api_id:organisation_id>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("units/<api_id:unit_id>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<api_id:area_id>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("arrangements/", views.ArrangementListView.as_view(), name="arrangement-list"),
    path(
        "arrangements/<api_id:arrangement_id>/",
        views.ArrangementDetailView.as_view(),
        name="arrangement-detail",
    ),
    path(
        "arrangements/<api_id:arrangement_id>/participants/",
        views.ParticipantListView.as_view(),
        name="arrangement-participant-list",
    ),
    path(
        "arrangements/<api_id:arrangement_id>/participants/<api_id:participant_id>/",
        views.ParticipantDetailView.as_view(),
        name="arrangement-participant-detail",
    ),
    path(
        "arrangements/<api_id:arrangement_id>/documents/",
        views.DocumentListView.as_view(),
        name="arrangement-document-list",
    ),
    path(
        "arrangements/<api_id:arrangement_id>/documents/<api_id:document_id>/",
        views.DocumentDetailView.as_view(),
        name="arrangement-document-detail",
    ),
    path(
        "arrangements/<api_id:arrangement_id>/documents/<api_id:document_id>/download/",
        views.DocumentDownloadView.as_view(),
        name="arrangement-document-download",
    ),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/rows/", views.RegisterRowsView.as_view(), name="register-rows"),
    path("register/csv/", views.RegisterCsvView.as_view(), name="register-csv"),
]
