"""Back-office URLs, mounted under /admin/neighbour-notices/ by `wagtail_hooks`."""

from django.urls import path

from samvirke.neighbours import staff_views as views

app_name = "samvirke_neighbours"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_detail, name="detail"),
]
