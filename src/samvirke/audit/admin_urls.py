"""Back-office URLs, mounted under /admin/audit/ by `wagtail_hooks`."""

from django.urls import path

from samvirke.audit import staff_views as views

app_name = "samvirke_audit"
urlpatterns = [
    path("", views.event_index, name="event_index"),
    path("<int:event_id>/", views.event_detail, name="event_detail"),
]
