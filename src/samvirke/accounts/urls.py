from django.urls import include, path

from samvirke.accounts.oidc import views as oidc_views

app_name = "accounts"
urlpatterns = [
    # staff: password, second factor, lockout, reset
    path("", include("samvirke.accounts.staff_urls")),
    # citizens and businesses: eID over OpenID Connect
    path("eid/", include("samvirke.accounts.oidc.urls")),
    # one logout for both; ends the session at the eID provider too when there is one
    path("logout/", oidc_views.logout, name="logout"),
]
