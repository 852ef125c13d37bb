"""The development identity provider, mounted at /dev-idp/ only when
SAMVIRKE_DEV_IDP_ENABLED (see samvirke.urls)."""

from django.urls import path

from samvirke.accounts.devidp import views

app_name = "devidp"
urlpatterns = [
    path("", views.index, name="index"),
    path(".well-known/openid-configuration", views.configuration, name="configuration"),
    path("authorize/", views.authorize, name="authorize"),
    path("token/", views.token, name="token"),
    path("userinfo/", views.userinfo, name="userinfo"),
    path("jwks/", views.jwks, name="jwks"),
    path("end-session/", views.end_session, name="end-session"),
]
