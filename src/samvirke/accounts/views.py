from django.http import HttpResponse


def staff_login(request):
    return HttpResponse("todo")


def lockout_response(request, *args, **kwargs):
    return HttpResponse("locked", status=429)
