from django.urls import path

from samvirke.accounts.oidc import views

urlpatterns = [
    path("login/", views.login_start, name="eid-login-start"),
]
