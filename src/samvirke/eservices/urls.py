"""Public e-service URLs. Submissions come with the next part; for now the published
JSON Schema of the form format, so authors and other systems can validate definitions."""

from django.urls import path

from samvirke.eservices import views

app_name = "eservices"
urlpatterns = [
    path("schema/form-definition.schema.json", views.definition_schema, name="definition-schema"),
]
