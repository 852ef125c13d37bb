"""Placeholder: the OpenID Connect relying party replaces this."""

from django.contrib.auth import logout as django_logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


def login_start(request):
    return HttpResponse("eid login")


@require_POST
def logout(request):
    django_logout(request)
    return redirect("web:home")
