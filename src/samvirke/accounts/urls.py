from django.urls import path

from samvirke.accounts import views

app_name = "accounts"
urlpatterns = [
    path("staff/login/", views.staff_login, name="staff-login"),
]
