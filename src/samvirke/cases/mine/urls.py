"""My cases (/my-cases/): a citizen's own cases, messages and documents."""

from django.urls import path

from samvirke.cases.mine import views as mine_views

app_name = "cases_mine"

urlpatterns = [
    path("", mine_views.my_cases, name="list"),
    path("<int:pk>/", mine_views.my_case, name="case"),
    path(
        "<int:pk>/documents/<int:document_id>/",
        mine_views.my_case_document,
        name="document",
    ),
]
