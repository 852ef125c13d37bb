"""The URLs the OpenAPI schema is generated from: the API's alone, at the same paths as in
the root URLconf (`SPECTACULAR_SETTINGS["SERVE_URLCONF"]`).

Generating it from the root URLconf would make drf-spectacular walk the portal's
language-prefixed page patterns, which it cannot simplify (it warns, and `make schema`
fails on warnings); they hold no API endpoint anyway."""

from django.urls import include, path

urlpatterns = [path("api/", include("samvirke.api.urls"))]
