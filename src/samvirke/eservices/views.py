"""Public e-service views."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from samvirke.eservices.definition import schema


@require_GET
def definition_schema(request):
    return JsonResponse(schema(), json_dumps_params={"ensure_ascii": False, "indent": 2})
