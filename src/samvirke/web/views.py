from django.http import JsonResponse
from django.shortcuts import redirect, render


def home(request):
    return render(request, "web/home.html")


def accessibility(request):
    return render(request, "web/home.html")


def privacy(request):
    return render(request, "web/home.html")


def health(request):
    return JsonResponse({"status": "ok"})


def admin_login_redirect(request):
    response = redirect("accounts:staff-login")
    if request.GET.get("next"):
        response["Location"] += "?next=" + request.GET["next"]
    return response
