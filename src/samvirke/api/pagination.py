"""One pagination for every list: `?page=N&page_size=M` (at most 200).

Both are checked strictly, as the schema states them: a `page_size` that is not a whole
number from 1 to 200, or a `page` that is not a whole number from 1, is a 400 `invalid`
(never silently replaced by the default); a page past the last one is a 404."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class _PageQuery(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=200, required=False)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def _checked(self, request) -> dict:
        query = {
            name: request.query_params[name]
            for name in (self.page_query_param, self.page_size_query_param)
            if name in request.query_params
        }
        serializer = _PageQuery(data=query)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginate_queryset(self, queryset, request, view=None):
        self._checked(request)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = str(_("The page, from 1."))
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
                parameter["description"] = str(_("Items per page, 1 to 200 (default 50)."))
        return parameters
