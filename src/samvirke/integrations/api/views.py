"""API v1 views for integrated case and archive systems: cases, submissions, journal
entries, documents, and webhook subscriptions with their delivery log.

Scope: see `samvirke.integrations.selectors`. Every read of a case's or a submission's
personal data (titles, applicant, answers, files) leaves an audit event naming the caller
(for a token: its service account) and the organisation it acts for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from samvirke.api.schema import ErrorSerializer
from samvirke.api.views import ApiView
from samvirke.cases.documents.selectors import document_response
from samvirke.integrations import selectors, services
from samvirke.integrations.api import serializers as s
from samvirke.integrations.errors import IntegrationsErrorCode
from samvirke.organisations.models import Organisation


def _token(request):
    return selectors.api_token_of(request)


def _require_case_reader(request) -> None:
    if not selectors.may_read_cases(request.user, _token(request)):
        raise PermissionDenied(_("Reading cases needs the case handler or administrator role."))


def _audit_read(request, *, obj=None, object_type=None, ids=None, what: str) -> None:
    services.api_read_record(
        actor=request.user,
        token=_token(request),
        obj=obj,
        object_type=object_type,
        ids=ids,
        what=what,
    )


def _case(request, case_id: int):
    return selectors.case_get(user=request.user, token=_token(request), case_id=case_id)


# --- cases ----------------------------------------------------------------------------------


class CaseListView(ApiView):
    @extend_schema(
        operation_id="cases_list",
        tags=["cases"],
        summary=_("Cases your organisation owns or handles"),
        description=_(
            "A token sees the cases its organisation owns (its citizens' cases) and those it "
            "handles as host through a cooperation arrangement; a staff session sees what the "
            "user sees on the case pages. Newest change first."
        ),
        parameters=[s.CaseFilterSerializer],
        responses=s.CaseSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        _require_case_reader(request)
        filters = self.parse_query(s.CaseFilterSerializer)
        cases = selectors.case_list(user=request.user, token=_token(request), **filters)
        page = self.paginate_queryset(cases)
        _audit_read(request, object_type="cases.case", ids=[c.pk for c in page], what="case list")
        data = s.CaseSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class CaseDetailView(ApiView):
    @extend_schema(
        operation_id="cases_retrieve",
        tags=["cases"],
        summary=_("A case with its journal entries and document metadata"),
        responses=s.CaseDetailSerializer,
    )
    def get(self, request, case_id: int, *args, **kwargs):
        case = _case(request, case_id)
        _audit_read(request, obj=case, what="case")
        context = {
            **self.get_serializer_context(),
            "documents": list(selectors.case_documents(case)),
        }
        return Response(s.CaseDetailSerializer(case, context=context).data)


class CaseStatusView(ApiView):
    @extend_schema(
        operation_id="cases_status_move",
        tags=["cases"],
        summary=_("Move a case to another status of its workflow (the handling organisation)"),
        description=_(
            "Only along a transition the case type's workflow allows (see the case's "
            "`allowed_statuses`). Otherwise 400 with `fields.status[0].code` "
            "`transition_not_allowed` or `unknown_status`. Sends `case.status_changed`."
        ),
        request=s.CaseStatusMoveSerializer,
        responses=s.CaseDetailSerializer,
    )
    def post(self, request, case_id: int, *args, **kwargs):
        case = _case(request, case_id)
        data = self.parse_body(s.CaseStatusMoveSerializer)
        services.api_case_status_move(
            actor=request.user,
            token=_token(request),
            case=case,
            to_status=data["status"],
            reason=data["reason"],
        )
        case = _case(request, case_id)
        context = {
            **self.get_serializer_context(),
            "documents": list(selectors.case_documents(case)),
        }
        return Response(s.CaseDetailSerializer(case, context=context).data)


class JournalEntryListView(ApiView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="cases_journal_entries_list",
        tags=["cases"],
        summary=_("The case's journal entries"),
        responses=s.JournalEntrySerializer(many=True),
    )
    def get(self, request, case_id: int, *args, **kwargs):
        case = _case(request, case_id)
        entries = selectors.journal_entries_of(case)
        page = self.paginate_queryset(entries)
        _audit_read(request, obj=case, what="journal entries")
        data = s.JournalEntrySerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(data.data)

    @extend_schema(
        operation_id="cases_journal_entries_create",
        tags=["cases"],
        summary=_("Register a journal entry on the case, with an optional file"),
        description=_(
            "JSON, or multipart/form-data with a `file` (then give `parties` as a JSON "
            "string and repeat `protected`). The entry goes into the owning municipality's "
            "journal; a screened case hides the `protected` words in the public title."
        ),
        request={
            "application/json": s.JournalEntryCreateSerializer,
            "multipart/form-data": s.JournalEntryUploadSerializer,
        },
        responses={201: s.JournalEntrySerializer},
    )
    def post(self, request, case_id: int, *args, **kwargs):
        case = _case(request, case_id)
        data = self.parse_body(s.JournalEntryUploadSerializer)
        entry = services.api_journal_entry_add(
            actor=request.user, token=_token(request), case=case, **data
        )
        entry = selectors.journal_entries_of(case).get(pk=entry.pk)
        return self.output(entry, s.JournalEntrySerializer, status=status.HTTP_201_CREATED)


class CaseDocumentDownloadView(ApiView):
    def perform_content_negotiation(self, request, force=False):
        # The file is the answer whatever the Accept header says; errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="cases_documents_download",
        tags=["cases"],
        summary=_("Download a document of the case"),
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=_("The file, with its own Content-Type (PDF, image, …)."),
            )
        },
    )
    def get(self, request, case_id: int, case_document_id: int, *args, **kwargs):
        case = _case(request, case_id)
        document = selectors.case_document_get(case=case, document_id=case_document_id)
        _audit_read(request, obj=document, what="document")
        return document_response(document)


# --- submissions ----------------------------------------------------------------------------


class SubmissionListView(ApiView):
    @extend_schema(
        operation_id="submissions_list",
        tags=["submissions"],
        summary=_("Submissions that became cases your organisation owns or handles"),
        parameters=[s.SubmissionFilterSerializer],
        responses=s.SubmissionSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        _require_case_reader(request)
        filters = self.parse_query(s.SubmissionFilterSerializer)
        submissions = selectors.submission_list(user=request.user, token=_token(request), **filters)
        return self.paginated(submissions, s.SubmissionSerializer)


class SubmissionDetailView(ApiView):
    @extend_schema(
        operation_id="submissions_retrieve",
        tags=["submissions"],
        summary=_("A submission with its answers and documents"),
        responses=s.SubmissionDetailSerializer,
    )
    def get(self, request, submission_id: int, *args, **kwargs):
        submission = selectors.submission_get(
            user=request.user, token=_token(request), submission_id=submission_id
        )
        _audit_read(request, obj=submission, what="submission")
        return self.output(submission, s.SubmissionDetailSerializer)


# --- webhooks -------------------------------------------------------------------------------


def _subscription(request, subscription_id: int):
    return selectors.subscription_get(
        user=request.user, token=_token(request), subscription_id=subscription_id
    )


def _subscribing_organisation(request, organisation_id: int | None) -> Organisation:
    token = _token(request)
    allowed = selectors.handling_organisation_ids(request.user, token)
    if organisation_id is None:
        if token is not None:
            return token.organisation
        if len(allowed) == 1:
            return selectors.handling_organisation_get(
                user=request.user, token=token, organisation_id=next(iter(allowed))
            )
        if not allowed:
            raise PermissionDenied(
                _("Only the organisation's case handlers and administrators manage its webhooks.")
            )
        raise ValidationError(
            {"organisation": _("Name the organisation the subscription is for.")},
            code=IntegrationsErrorCode.REQUIRED,
        )
    if organisation_id not in allowed:
        raise ValidationError(
            {"organisation": _("No such object, or it is outside your reach.")},
            code=IntegrationsErrorCode.DOES_NOT_EXIST,
        )
    return selectors.handling_organisation_get(
        user=request.user, token=token, organisation_id=organisation_id
    )


class WebhookSubscriptionListView(ApiView):
    @extend_schema(
        operation_id="webhooks_list",
        tags=["webhooks"],
        summary=_("Your organisation's webhook subscriptions"),
        responses=s.WebhookSubscriptionSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        subscriptions = selectors.subscription_list(user=request.user, token=_token(request))
        return self.paginated(subscriptions, s.WebhookSubscriptionSerializer)

    @extend_schema(
        operation_id="webhooks_create",
        tags=["webhooks"],
        summary=_("Subscribe a URL to events; the answer shows the signing secret once"),
        request=s.WebhookSubscriptionCreateSerializer,
        responses={201: s.WebhookSubscriptionWithSecretSerializer},
    )
    def post(self, request, *args, **kwargs):
        data = self.parse_body(s.WebhookSubscriptionCreateSerializer)
        organisation = _subscribing_organisation(request, data.pop("organisation", None))
        subscription, secret = services.webhook_subscription_create(
            actor=request.user, token=_token(request), organisation=organisation, **data
        )
        subscription.secret = secret
        return self.output(
            subscription, s.WebhookSubscriptionWithSecretSerializer, status=status.HTTP_201_CREATED
        )


class WebhookSubscriptionDetailView(ApiView):
    @extend_schema(
        operation_id="webhooks_retrieve",
        tags=["webhooks"],
        responses=s.WebhookSubscriptionSerializer,
    )
    def get(self, request, subscription_id: int, *args, **kwargs):
        return self.output(_subscription(request, subscription_id), s.WebhookSubscriptionSerializer)

    @extend_schema(
        operation_id="webhooks_partial_update",
        tags=["webhooks"],
        summary=_("Change a subscription's URL, events, description or whether it is active"),
        request=s.WebhookSubscriptionUpdateSerializer,
        responses=s.WebhookSubscriptionSerializer,
    )
    def patch(self, request, subscription_id: int, *args, **kwargs):
        subscription = _subscription(request, subscription_id)
        data = self.parse_body(s.WebhookSubscriptionUpdateSerializer, partial=True)
        subscription = services.webhook_subscription_update(
            actor=request.user, token=_token(request), subscription=subscription, **data
        )
        return self.output(subscription, s.WebhookSubscriptionSerializer)

    @extend_schema(
        operation_id="webhooks_destroy",
        tags=["webhooks"],
        summary=_("Delete a subscription and its delivery log"),
        responses={204: None},
    )
    def delete(self, request, subscription_id: int, *args, **kwargs):
        subscription = _subscription(request, subscription_id)
        services.webhook_subscription_delete(
            actor=request.user, token=_token(request), subscription=subscription
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookSecretRotateView(ApiView):
    @extend_schema(
        operation_id="webhooks_rotate_secret",
        tags=["webhooks"],
        summary=_("Replace the signing secret; the answer shows the new one once"),
        request=None,
        responses=s.WebhookSubscriptionWithSecretSerializer,
    )
    def post(self, request, subscription_id: int, *args, **kwargs):
        subscription = _subscription(request, subscription_id)
        subscription, secret = services.webhook_subscription_secret_rotate(
            actor=request.user, token=_token(request), subscription=subscription
        )
        subscription.secret = secret
        return self.output(subscription, s.WebhookSubscriptionWithSecretSerializer)


class WebhookDeliveryListView(ApiView):
    @extend_schema(
        operation_id="webhooks_deliveries_list",
        tags=["webhooks"],
        summary=_("The delivery log of a subscription, newest first"),
        parameters=[s.WebhookDeliveryFilterSerializer],
        responses=s.WebhookDeliverySerializer(many=True),
    )
    def get(self, request, subscription_id: int, *args, **kwargs):
        subscription = _subscription(request, subscription_id)
        filters = self.parse_query(s.WebhookDeliveryFilterSerializer)
        deliveries = selectors.delivery_list(subscription=subscription, **filters)
        return self.paginated(deliveries, s.WebhookDeliverySerializer)


def _delivery(request, subscription_id: int, delivery_id: int):
    subscription = _subscription(request, subscription_id)
    delivery = selectors.delivery_list(subscription=subscription).get(pk=delivery_id)
    delivery.subscription = subscription
    return delivery


class WebhookDeliveryDetailView(ApiView):
    @extend_schema(
        operation_id="webhooks_deliveries_retrieve",
        tags=["webhooks"],
        summary=_("One delivery with its payload"),
        responses=s.WebhookDeliverySerializer,
    )
    def get(self, request, subscription_id: int, delivery_id: int, *args, **kwargs):
        return self.output(
            _delivery(request, subscription_id, delivery_id), s.WebhookDeliverySerializer
        )


class WebhookRedeliverView(ApiView):
    @extend_schema(
        operation_id="webhooks_deliveries_redeliver",
        tags=["webhooks"],
        summary=_("Send a delivery again, with a fresh round of attempts"),
        description=_("Not while it is being sent (400, `delivery_in_progress`)."),
        request=None,
        responses={
            200: s.WebhookDeliverySerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("It is being sent already.")),
        },
    )
    def post(self, request, subscription_id: int, delivery_id: int, *args, **kwargs):
        delivery = services.webhook_delivery_redeliver(
            actor=request.user,
            token=_token(request),
            delivery=_delivery(request, subscription_id, delivery_id),
        )
        return self.output(delivery, s.WebhookDeliverySerializer)
