"""Only the API's URLs, at their real paths: the schema test checks the API's schema
without depending on the rest of the site's URL configuration."""

from django.urls import include, path

urlpatterns = [path("api/", include("samvirke.api.urls"))]
