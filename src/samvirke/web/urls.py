from django.urls import path
from wagtail import views as wagtail_views

from samvirke.web import views

app_name = "web"
urlpatterns = [
    # The front page is the portal's home page for the request's host (served by Wagtail);
    # the name stays so the layout and other apps can link to it.
    path("", wagtail_views.serve, {"path": ""}, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
