from django.urls import path

from samvirke.integrations.api import views

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<api_id:case_id>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<api_id:case_id>/status/", views.CaseStatusView.as_view(), name="case-status"),
    path(
        "cases/<api_id:case_id>/journal-entries/",
        views.JournalEntryListView.as_view(),
        name="case-journal-entry-list",
    ),
    path(
        "cases/<api_id:case_id>/documents/<api_id:case_document_id>/download/",
        views.CaseDocumentDownloadView.as_view(),
        name="case-document-download",
    ),
    path("submissions/", views.SubmissionListView.as_view(), name="submission-list"),
    path(
        "submissions/<api_id:submission_id>/",
        views.SubmissionDetailView.as_view(),
        name="submission-detail",
    ),
    path("webhooks/", views.WebhookSubscriptionListView.as_view(), name="webhook-list"),
    path(
        "webhooks/<api_id:subscription_id>/",
        views.WebhookSubscriptionDetailView.as_view(),
        name="webhook-detail",
    ),
    path(
        "webhooks/<api_id:subscription_id>/rotate-secret/",
        views.WebhookSecretRotateView.as_view(),
        name="webhook-rotate-secret",
    ),
    path(
        "webhooks/<api_id:subscription_id>/deliveries/",
        views.WebhookDeliveryListView.as_view(),
        name="webhook-delivery-list",
    ),
    path(
        "webhooks/<api_id:subscription_id>/deliveries/<api_id:delivery_id>/",
        views.WebhookDeliveryDetailView.as_view(),
        name="webhook-delivery-detail",
    ),
    path(
        "webhooks/<api_id:subscription_id>/deliveries/<api_id:delivery_id>/redeliver/",
        views.WebhookRedeliverView.as_view(),
        name="webhook-delivery-redeliver",
    ),
]
