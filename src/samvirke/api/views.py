"""The API's shared view base, its root, the schema and the documentation pages.

Every endpoint view derives from `ApiView`: token or staff-session authentication, the
shared pagination, and a schema that documents the error envelope."""

from __future__ import annotations

from django.apps import apps
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.metadata import SimpleMetadata
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from samvirke.api.authentication import ApiTokenAuthentication, StaffSessionAuthentication
from samvirke.api.docs import describe_schema
from samvirke.api.pagination import Pagination
from samvirke.api.schema import SamvirkeAutoSchema, error_envelope_description

API_VERSION = "v1"


class ApiMetadata(SimpleMetadata):
    """The answer to `OPTIONS`: the endpoint's name, description, methods and media
    types. It leaves out DRF's form description (`actions`), which would instantiate a
    serializer the view may not have; the schema describes the inputs."""

    def determine_metadata(self, request, view):
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        metadata["allow"] = list(view.allowed_methods)
        return metadata

    def determine_actions(self, request, view):
        return {}


class ApiView(GenericAPIView):
    """Base for every endpoint: thin views that parse input, call one service or
    selector, and serialise the result."""

    metadata_class = ApiMetadata
    authentication_classes = [ApiTokenAuthentication, StaffSessionAuthentication]
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    schema = SamvirkeAutoSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # every query parameter of the API takes one value: a repeated one is refused
        # rather than silently reduced to its last value
        repeated = {
            name: [_("Give this parameter once.")]
            for name in request.query_params
            if len(request.query_params.getlist(name)) > 1
        }
        if repeated:
            raise ValidationError(repeated)

    def parse_query(self, serializer_class) -> dict:
        """Validates query parameters with an input serializer (400 `invalid` if wrong)."""
        # a plain dict: a QueryDict would read a missing boolean as false
        serializer = serializer_class(
            data=self.request.query_params.dict(), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def parse_body(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginated(self, items, serializer_class) -> Response:
        page = self.paginate_queryset(items)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def output(self, obj, serializer_class, status: int = 200) -> Response:
        return Response(
            serializer_class(obj, context=self.get_serializer_context()).data, status=status
        )


_ROOT_LINKS = [
    ("me", "me"),
    ("organisations", "organisation-list"),
    ("units", "unit-list"),
    ("areas", "area-list"),
    ("arrangements", "arrangement-list"),
    ("register", "register"),
    ("register_rows", "register-rows"),
    ("register_csv", "register-csv"),
    ("audit_events", "audit-event-list"),
    ("cases", "case-list"),
    ("submissions", "submission-list"),
    ("webhooks", "webhook-list"),
]


class ApiRootView(ApiView):
    """Links to the collections of this API version."""

    @extend_schema(
        operation_id="api_root",
        tags=["meta"],
        responses=inline_serializer(
            "ApiRoot", {name: serializers.URLField() for name, _url in _ROOT_LINKS}
        ),
    )
    def get(self, request, *args, **kwargs):
        return Response(
            {
                name: reverse(f"{request.version}:{url}", request=request)
                for name, url in _ROOT_LINKS
            }
        )


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of API v1, public like the documentation."""

    api_version = API_VERSION
    permission_classes = [AllowAny]

    def _get_schema_response(self, request):
        response = super()._get_schema_response(request)
        error = response.data.get("components", {}).get("schemas", {}).get("Error")
        if error is not None:
            error["description"] = error_envelope_description()
        return response


_schema_cache: dict[str, dict] = {}


def schema_for_docs() -> dict:
    """The schema, generated once per language per process (it only changes on deploy)."""
    language = get_language() or "nb"
    if language not in _schema_cache:
        generator = SchemaGenerator(api_version=API_VERSION)
        schema = generator.get_schema(request=None, public=True)
        error = schema.get("components", {}).get("schemas", {}).get("Error")
        if error is not None:
            error["description"] = error_envelope_description()
        _schema_cache[language] = schema
    return _schema_cache[language]


class DocsView(TemplateView):
    """Server-rendered reference of every endpoint, from the same schema: no JavaScript,
    nothing loaded from elsewhere."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["api"] = describe_schema(schema_for_docs())
        context["swagger_available"] = swagger_ui_available()
        return context


def swagger_ui_available() -> bool:
    """Swagger UI is offered only with its files served from here (drf-spectacular-sidecar
    installed and in INSTALLED_APPS), never from a CDN."""
    return apps.is_installed("drf_spectacular_sidecar")


class LocalSwaggerView(SpectacularSwaggerView):
    """Swagger UI with its files from the sidecar package's static files."""

    url_name = "api-schema"

    @staticmethod
    def _swagger_ui_resource(filename):
        return static(f"drf_spectacular_sidecar/swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon():
        return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")


class NotFoundView(APIView):
    """Any other path under /api/: a 404 in the error envelope, not an HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = None

    def _not_found(self, request, *args, **kwargs):
        raise NotFound(_("There is no such API endpoint."))

    get = post = put = patch = delete = head = options = _not_found
