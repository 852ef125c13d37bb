from django.urls import path

from samvirke.accounts.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
]
