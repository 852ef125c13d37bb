"""Placeholder: the staff login (password + TOTP) replaces this."""

from django.http import HttpResponse


def staff_login(request):
    return HttpResponse("staff login")


def lockout_response(request, *args, **kwargs):
    return HttpResponse("locked", status=429)
