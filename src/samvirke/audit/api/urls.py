from django.urls import path

from samvirke.audit.api import views

urlpatterns = [
    path("audit-events/", views.AuditEventListView.as_view(), name="audit-event-list"),
    path(
        "audit-events/<api_id:event_id>/",
        views.AuditEventDetailView.as_view(),
        name="audit-event-detail",
    ),
]
