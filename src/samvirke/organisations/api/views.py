"""API v1 views for organisations, units, areas of work, cooperation arrangements and the
register. Each view parses input, calls one selector or service, and serialises."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from samvirke.api.views import ApiView
from samvirke.organisations import selectors, services
from samvirke.organisations.api import serializers as s
from samvirke.organisations.api.register import register_csv, register_matrix, register_rows
from samvirke.organisations.document_files import agreement_document_response

# --- organisations -----------------------------------------------------------------------


class OrganisationListView(ApiView):
    @extend_schema(
        operation_id="organisations_list",
        tags=["organisations"],
        summary=_("Organisations: members and partners"),
        parameters=[s.OrganisationFilterSerializer],
        responses=s.OrganisationSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        filters = self.parse_query(s.OrganisationFilterSerializer)
        organisations = selectors.organisation_list(
            kind=filters.get("kind"),
            members_only=bool(filters.get("member")),
            query=filters.get("search"),
        )
        return self.paginated(organisations, s.OrganisationSerializer)


class OrganisationDetailView(ApiView):
    @extend_schema(
        operation_id="organisations_retrieve",
        tags=["organisations"],
        responses=s.OrganisationSerializer,
    )
    def get(self, request, organisation_id: int, *args, **kwargs):
        organisation = selectors.organisation_get(organisation_id=organisation_id)
        return self.output(organisation, s.OrganisationSerializer)


# --- units -------------------------------------------------------------------------------


class UnitListView(ApiView):
    @extend_schema(
        operation_id="units_list",
        tags=["units"],
        summary=_("Units you may see: public ones, and all of your own organisation's"),
        parameters=[s.UnitFilterSerializer],
        responses=s.UnitSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        filters = self.parse_query(s.UnitFilterSerializer)
        units = selectors.unit_list(user=request.user, organisation_id=filters.get("organisation"))
        return self.paginated(units, s.UnitSerializer)

    @extend_schema(
        operation_id="units_create",
        tags=["units"],
        summary=_("Create a unit (administrators of the organisation)"),
        request=s.UnitCreateSerializer,
        responses={201: s.UnitSerializer},
    )
    def post(self, request, *args, **kwargs):
        data = self.parse_body(s.UnitCreateSerializer)
        unit = services.unit_create(actor=request.user, **data)
        return self.output(unit, s.UnitSerializer, status=status.HTTP_201_CREATED)


class UnitDetailView(ApiView):
    @extend_schema(operation_id="units_retrieve", tags=["units"], responses=s.UnitSerializer)
    def get(self, request, unit_id: int, *args, **kwargs):
        return self.output(selectors.unit_get(user=request.user, unit_id=unit_id), s.UnitSerializer)

    @extend_schema(
        operation_id="units_partial_update",
        tags=["units"],
        request=s.UnitUpdateSerializer,
        responses=s.UnitSerializer,
    )
    def patch(self, request, unit_id: int, *args, **kwargs):
        unit = selectors.unit_get(user=request.user, unit_id=unit_id)
        data = self.parse_body(s.UnitUpdateSerializer, partial=True)
        unit = services.unit_update(actor=request.user, unit=unit, **data)
        return self.output(unit, s.UnitSerializer)


# --- areas of work -----------------------------------------------------------------------


class AreaListView(ApiView):
    @extend_schema(
        operation_id="areas_list",
        tags=["areas"],
        summary=_("Areas of work (fagområder)"),
        responses=s.AreaSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return self.paginated(selectors.area_list(), s.AreaSerializer)

    @extend_schema(
        operation_id="areas_create",
        tags=["areas"],
        summary=_("Create an area of work (regional coordinators)"),
        request=s.AreaCreateSerializer,
        responses={201: s.AreaSerializer},
    )
    def post(self, request, *args, **kwargs):
        data = self.parse_body(s.AreaCreateSerializer)
        area = services.area_create(actor=request.user, **data)
        # read back through the selector, which adds the arrangement count
        area = selectors.area_list().get(pk=area.pk)
        return self.output(area, s.AreaSerializer, status=status.HTTP_201_CREATED)


class AreaDetailView(ApiView):
    @extend_schema(operation_id="areas_retrieve", tags=["areas"], responses=s.AreaSerializer)
    def get(self, request, area_id: int, *args, **kwargs):
        return self.output(selectors.area_list().get(pk=area_id), s.AreaSerializer)

    @extend_schema(
        operation_id="areas_partial_update",
        tags=["areas"],
        summary=_("Change an area of work (regional coordinators)"),
        request=s.AreaUpdateSerializer,
        responses=s.AreaSerializer,
    )
    def patch(self, request, area_id: int, *args, **kwargs):
        area = selectors.area_list().get(pk=area_id)
        data = self.parse_body(s.AreaUpdateSerializer, partial=True)
        services.area_update(actor=request.user, area=area, **data)
        return self.output(selectors.area_list().get(pk=area_id), s.AreaSerializer)


# --- cooperation arrangements ------------------------------------------------------------


class ArrangementListView(ApiView):
    @extend_schema(
        operation_id="arrangements_list",
        tags=["arrangements"],
        summary=_("Cooperation arrangements you may see"),
        parameters=[s.ArrangementFilterSerializer],
        responses=s.ArrangementSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        filters = s.ArrangementFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        arrangements = selectors.arrangement_list(user=request.user, **filters.to_selector_kwargs())
        return self.paginated(arrangements, s.ArrangementSerializer)

    @extend_schema(
        operation_id="arrangements_create",
        tags=["arrangements"],
        summary=_("Create an arrangement hosted by your organisation"),
        request=s.ArrangementCreateSerializer,
        responses={201: s.ArrangementSerializer},
    )
    def post(self, request, *args, **kwargs):
        data = self.parse_body(s.ArrangementCreateSerializer)
        arrangement = services.arrangement_create(
            actor=request.user, region=selectors.region_current(), **data
        )
        arrangement = selectors.arrangement_get(user=request.user, arrangement_id=arrangement.pk)
        return self.output(arrangement, s.ArrangementSerializer, status=status.HTTP_201_CREATED)


class ArrangementDetailView(ApiView):
    @extend_schema(
        operation_id="arrangements_retrieve",
        tags=["arrangements"],
        responses=s.ArrangementSerializer,
    )
    def get(self, request, arrangement_id: int, *args, **kwargs):
        arrangement = selectors.arrangement_get(user=request.user, arrangement_id=arrangement_id)
        return self.output(arrangement, s.ArrangementSerializer)

    @extend_schema(
        operation_id="arrangements_partial_update",
        tags=["arrangements"],
        summary=_("Change an arrangement (the host's coordinators and administrators)"),
        request=s.ArrangementUpdateSerializer,
        responses=s.ArrangementSerializer,
    )
    def patch(self, request, arrangement_id: int, *args, **kwargs):
        arrangement = selectors.arrangement_get(user=request.user, arrangement_id=arrangement_id)
        data = self.parse_body(s.ArrangementUpdateSerializer, partial=True)
        services.arrangement_update(actor=request.user, arrangement=arrangement, **data)
        arrangement = selectors.arrangement_get(user=request.user, arrangement_id=arrangement_id)
        return self.output(arrangement, s.ArrangementSerializer)


def _participation(*, user, arrangement_id: int, participant_id: int):
    """A participation of an arrangement the user may see (DoesNotExist otherwise)."""
    arrangement = selectors.arrangement_get(user=user, arrangement_id=arrangement_id)
    for participation in arrangement.participations.all():
        if participation.pk == participant_id:
            participation.arrangement = arrangement
            return participation
    raise arrangement.participations.model.DoesNotExist


class ParticipantListView(ApiView):
    @extend_schema(
        operation_id="arrangements_participants_list",
        tags=["arrangements"],
        responses=s.ParticipantSerializer(many=True),
    )
    def get(self, request, arrangement_id: int, *args, **kwargs):
        arrangement = selectors.arrangement_get(user=request.user, arrangement_id=arrangement_id)
        return self.paginated(list(arrangement.participations.all()), s.ParticipantSerializer)

    @extend_schema(
        operation_id="arrangements_participants_create",
        tags=["arrangements"],
        summary=_("Add a participant"),
        request=s.ParticipantCreateSerializer,
        responses={201: s.ParticipantSerializer},
    )
    def post(self, request, arrangement_id: int, *args, **kwargs):
        arrangement = selectors.arrangement_get(user=request.user, arrangement_id=arrangement_id)
        data = self.parse_body(s.ParticipantCreateSerializer)
        participation = services.arrangement_add_participant(
            actor=request.user, arrangement=arrangement, **data
        )
        return self.output(participation, s.ParticipantSerializer, status=status.HTTP_201_CREATED)


class ParticipantDetailView(ApiView):
    @extend_schema(
        operation_id="arrangements_participants_retrieve",
        tags=["arrangements"],
        responses=s.ParticipantSerializer,
    )
    def get(self, request, arrangement_id: int, participant_id: int, *args, **kwargs):
        participation = _participation(
            user=request.user, arrangement_id=arrangement_id, participant_id=participant_id
        )
        return self.output(participation, s.ParticipantSerializer)

    @extend_schema(
        operation_id="arrangements_participants_partial_update",
        tags=["arrangements"],
        summary=_("Change a participant's period or cost share"),
        request=s.ParticipantUpdateSerializer,
        responses=s.ParticipantSerializer,
    )
    def patch(self, request, arrangement_id: int, participant_id: int, *args, **kwargs):
        participation = _participation(
            user=request.user, arrangement_id=arrangement_id, participant_id=participant_id
        )
        data = self.parse_body(s.ParticipantUpdateSerializer, partial=True)
        participation = services.arrangement_update_participant(
            actor=request.user, participation=participation, **data
        )
        return self.output(participation, s.ParticipantSerializer)

    @extend_schema(
        operation_id="arrangements_participants_destroy",
        tags=["arrangements"],
        summary=_("Remove a participant entered by mistake (one that leaves gets an end date)"),
        responses={204: None},
    )
    def delete(self, request, arrangement_id: int, participant_id: int, *args, **kwargs):
        participation = _participation(
            user=request.user, arrangement_id=arrangement_id, participant_id=participant_id
        )
        services.arrangement_remove_participant(actor=request.user, participation=participation)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- agreement documents -----------------------------------------------------------------


class DocumentListView(ApiView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="arrangements_documents_list",
        tags=["arrangements"],
        summary=_("Agreement documents: all for the participants' staff, public ones for others"),
        responses=s.AgreementDocumentSerializer(many=True),
    )
    def get(self, request, arrangement_id: int, *args, **kwargs):
        arrangement = selectors.arrangement_get(user=request.user, arrangement_id=arrangement_id)
        documents = selectors.agreement_document_list(user=request.user, arrangement=arrangement)
        return self.paginated(documents, s.AgreementDocumentSerializer)

    @extend_schema(
        operation_id="arrangements_documents_create",
        tags=["arrangements"],
        summary=_("Upload a PDF agreement document (multipart/form-data)"),
        request={"multipart/form-data": s.AgreementDocumentUploadSerializer},
        responses={201: s.AgreementDocumentSerializer},
    )
    def post(self, request, arrangement_id: int, *args, **kwargs):
        arrangement = selectors.arrangement_get(user=request.user, arrangement_id=arrangement_id)
        data = self.parse_body(s.AgreementDocumentUploadSerializer)
        document = services.arrangement_add_document(
            actor=request.user, arrangement=arrangement, **data
        )
        return self.output(document, s.AgreementDocumentSerializer, status=status.HTTP_201_CREATED)


def _document(*, user, arrangement_id: int, document_id: int):
    document = selectors.agreement_document_get(user=user, document_id=document_id)
    if document.arrangement_id != arrangement_id:
        raise type(document).DoesNotExist
    return document


class DocumentDetailView(ApiView):
    @extend_schema(
        operation_id="arrangements_documents_retrieve",
        tags=["arrangements"],
        responses=s.AgreementDocumentSerializer,
    )
    def get(self, request, arrangement_id: int, document_id: int, *args, **kwargs):
        document = _document(
            user=request.user, arrangement_id=arrangement_id, document_id=document_id
        )
        return self.output(document, s.AgreementDocumentSerializer)


class DocumentDownloadView(ApiView):
    def perform_content_negotiation(self, request, force=False):
        # The file is the answer whatever the Accept header says; errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="arrangements_documents_download",
        tags=["arrangements"],
        summary=_("Download the document's file"),
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The PDF file.")
            )
        },
    )
    def get(self, request, arrangement_id: int, document_id: int, *args, **kwargs):
        document = _document(
            user=request.user, arrangement_id=arrangement_id, document_id=document_id
        )
        return agreement_document_response(document)


# --- the register ------------------------------------------------------------------------


def _require_register(user) -> None:
    if not user.has_perm("organisations.view_register"):
        raise PermissionDenied(_("The register is for staff of the member organisations."))


class RegisterView(ApiView):
    @extend_schema(
        operation_id="register_matrix",
        tags=["register"],
        summary=_("The register as a matrix: municipalities × areas of work"),
        responses=s.RegisterSerializer,
    )
    def get(self, request, *args, **kwargs):
        _require_register(request.user)
        return self.output(register_matrix(user=request.user), s.RegisterSerializer)


class RegisterRowsView(ApiView):
    @extend_schema(
        operation_id="register_rows",
        tags=["register"],
        summary=_("The register as rows, one per participation (the CSV's columns)"),
        parameters=[s.RegisterFilterSerializer],
        responses=s.RegisterRowSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        _require_register(request.user)
        filters = s.RegisterFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        rows = register_rows(
            arrangements=selectors.arrangement_list(
                user=request.user, **filters.to_selector_kwargs()
            ),
            current_only=filters.validated_data["current_only"],
        )
        return self.paginated(rows, s.RegisterRowSerializer)


class RegisterCsvView(ApiView):
    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="register_csv",
        tags=["register"],
        summary=_("The register as CSV, one row per participation"),
        description=_(
            "Columns: arrangement, area, legal_form, host, host_unit, participant, "
            "municipality_number, from, until, cost_share, status. UTF-8, comma-separated."
        ),
        parameters=[s.RegisterFilterSerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=_("CSV text."))
        },
    )
    def get(self, request, *args, **kwargs):
        _require_register(request.user)
        filters = s.RegisterFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        rows = register_rows(
            arrangements=selectors.arrangement_list(
                user=request.user, **filters.to_selector_kwargs()
            ),
            current_only=filters.validated_data["current_only"],
        )
        response = HttpResponse("".join(register_csv(rows)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="samarbeidsregister.csv"'
        return response
