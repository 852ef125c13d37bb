from django.urls import path

from samvirke.accounts import staff_views

urlpatterns = [
    path("staff/login/", staff_views.staff_login, name="staff-login"),
]
