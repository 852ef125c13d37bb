from django.conf import settings


def platform(request):
    return {"dev_idp_enabled": settings.SAMVIRKE_DEV_IDP_ENABLED}
