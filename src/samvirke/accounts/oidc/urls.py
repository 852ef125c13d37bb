"""eID login over OpenID Connect, mounted at /accounts/eid/ (namespace `accounts`)."""

from django.urls import path

from samvirke.accounts.oidc import views

urlpatterns = [
    path("login/", views.login_start, name="eid-login-start"),
    path("callback/", views.callback, name="eid-callback"),
    path("profile/", views.profile, name="eid-profile"),
]
