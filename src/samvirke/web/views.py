from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect


def home(request):
    return HttpResponse("Samvirke")


def health(request):
    return JsonResponse({"status": "ok"})


def admin_login_redirect(request):
    target = "accounts:staff-login"
    response = redirect(target)
    if request.GET.get("next"):
        response["Location"] += "?next=" + request.GET["next"]
    return response
