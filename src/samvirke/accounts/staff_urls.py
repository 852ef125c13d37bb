"""Staff sign-in, second factor, password reset (mounted in the `accounts` namespace)."""

from django.urls import path

from samvirke.accounts import staff_views

urlpatterns = [
    path("staff/login/", staff_views.staff_login, name="staff-login"),
    path("staff/login/code/", staff_views.staff_login_verify, name="staff-login-verify"),
    path("staff/login/authenticator/", staff_views.staff_login_enrol, name="staff-login-enrol"),
    path("staff/security/", staff_views.staff_security, name="staff-security"),
    path(
        "staff/password/reset/", staff_views.StaffPasswordResetView.as_view(), name="password-reset"
    ),
    path(
        "staff/password/reset/sent/",
        staff_views.StaffPasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "staff/password/reset/<uidb64>/<token>/",
        staff_views.StaffPasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "staff/password/reset/done/",
        staff_views.StaffPasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
