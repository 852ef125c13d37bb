"""`/api/`: version 1 under the namespace `v1`, the schema and the documentation."""

from django.urls import include, path, re_path, register_converter

from samvirke.api import views
from samvirke.api.converters import IdConverter

register_converter(IdConverter, "api_id")

v1_patterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("", include("samvirke.accounts.api.urls")),
    path("", include("samvirke.organisations.api.urls")),
    path("", include("samvirke.audit.api.urls")),
    path("", include("samvirke.integrations.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1_patterns, "v1"), namespace="v1")),
    path("schema/", views.SchemaView.as_view(), name="api-schema"),
    path("docs/", views.DocsView.as_view(), name="api-docs"),
]

if views.swagger_ui_available():
    urlpatterns.append(path("docs/swagger/", views.LocalSwaggerView.as_view(), name="api-swagger"))

# anything else under /api/ answers in the error envelope (any character, a newline too)
urlpatterns.append(re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="api-not-found"))
