"""Input and output serializers of the integration API: cases, submissions, journal
entries, documents, webhook subscriptions and their deliveries. Output serializers read only
what the selectors have loaded, so lists cost a fixed number of queries."""

from __future__ import annotations

import json

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from samvirke.api.fields import id_query_field
from samvirke.cases.core.selectors import workflow_of
from samvirke.cases.models import (
    DocumentKind,
    EntryStatus,
    EntryType,
    Outcome,
    Phase,
    ScanStatus,
    SubmissionState,
)
from samvirke.integrations.models import DeliveryStatus, WebhookEvent
from samvirke.organisations.api.serializers import OrganisationRefSerializer


def _url(serializer, name: str, **kwargs) -> str:
    request = serializer.context.get("request")
    version = getattr(request, "version", None) or "v1"
    return reverse(f"{version}:{name}", kwargs=kwargs, request=request)


class HandlingUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class CaseStatusSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.SerializerMethodField()
    phase = serializers.ChoiceField(choices=Phase.choices, read_only=True)

    def get_label(self, status) -> str:
        return status.text()


# --- documents and journal entries ---------------------------------------------------------


class CaseDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text=_("Bytes."))
    sha256 = serializers.CharField(read_only=True)
    is_pdfa = serializers.BooleanField(read_only=True)
    scan_status = serializers.ChoiceField(choices=ScanStatus.choices, read_only=True)
    journal_entry = serializers.IntegerField(
        source="journal_entry_id", read_only=True, allow_null=True
    )
    created_at = serializers.DateTimeField(read_only=True)
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str | None:
        case_id = self.context.get("case_id") or document.case_id
        if case_id is None:
            return None
        return _url(self, "case-document-download", case_id=case_id, case_document_id=document.pk)


class PartySerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[("sender", _("Sender")), ("recipient", _("Recipient")), ("copy", _("Copy"))]
    )
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=[("person", _("Person")), ("organisation", _("Organisation"))], default="person"
    )


class PartyOutSerializer(serializers.Serializer):
    role = serializers.CharField(read_only=True, help_text=_("sender, recipient or copy."))
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text=_("person or organisation."))


class JournalEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True, help_text=_("Case number-document number."))
    year = serializers.IntegerField(read_only=True)
    sequence = serializers.IntegerField(read_only=True, help_text=_("Journal sequence number."))
    number_in_case = serializers.IntegerField(read_only=True)
    entry_type = serializers.ChoiceField(choices=EntryType.choices, read_only=True)
    journal_status = serializers.ChoiceField(
        source="status",
        choices=EntryStatus.choices,
        read_only=True,
        help_text=_("Noark journalstatus: J registered, E dispatched, F finalised, A archived."),
    )
    title = serializers.CharField(read_only=True)
    public_title = serializers.CharField(read_only=True)
    screening_basis = serializers.CharField(read_only=True)
    parties = PartyOutSerializer(many=True, read_only=True)
    document_date = serializers.DateField(read_only=True)
    journal_date = serializers.DateField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    documents = serializers.SerializerMethodField()

    @extend_schema_field(CaseDocumentSerializer(many=True))
    def get_documents(self, entry):
        return CaseDocumentSerializer(
            entry.documents.all(), many=True, context={**self.context, "case_id": entry.case_id}
        ).data


@extend_schema_field(PartySerializer(many=True))
class PartiesField(serializers.Field):
    """A list of parties; in a multipart upload, the same list as a JSON string."""

    default_error_messages = {
        "invalid": _("Give the parties as a list of objects with role, name and kind."),
    }

    def to_internal_value(self, data):
        if isinstance(data, (str, bytes)):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, list):
            self.fail("invalid")
        parties = PartySerializer(data=data, many=True)
        if not parties.is_valid():
            raise serializers.ValidationError(parties.errors)
        return [dict(p) for p in parties.validated_data]

    def to_representation(self, value):
        return value


class JournalEntryCreateSerializer(serializers.Serializer):
    entry_type = serializers.ChoiceField(
        choices=EntryType.choices,
        help_text=_("Noark type: I incoming, U outgoing, N note with follow-up, X note."),
    )
    title = serializers.CharField(max_length=500)
    protected = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        max_length=50,
        help_text=_(
            "Words of the title to hide in the public journal (names, addresses) when the "
            "case is screened."
        ),
    )
    parties = PartiesField(required=False, default=list)
    document_date = serializers.DateField(required=False, allow_null=True, default=None)


class JournalEntryUploadSerializer(JournalEntryCreateSerializer):
    file = serializers.FileField(
        required=False,
        allow_empty_file=False,
        help_text=_("PDF, PNG, JPEG or TIFF, at most 25 MB; stored as the entry's document."),
    )


# --- cases ----------------------------------------------------------------------------------


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True, help_text=_("Case number: year/sequence."))
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("The workflow status's key."))
    status_label = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True, allow_blank=True)
    owner = OrganisationRefSerializer(source="organisation", read_only=True)
    handling_organisation = OrganisationRefSerializer(read_only=True)
    handling_unit = HandlingUnitSerializer(read_only=True)
    area = serializers.SlugField(source="area.code", read_only=True)
    via_arrangement = serializers.IntegerField(
        source="via_arrangement_id", read_only=True, allow_null=True
    )
    form = serializers.SerializerMethodField()
    submission = serializers.SerializerMethodField()
    opened_at = serializers.DateTimeField(read_only=True)
    deadline = serializers.DateField(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_status_label(self, case) -> str:
        workflow = workflow_of(case.case_type)
        return workflow.status(case.status).text() if case.status in workflow.statuses else ""

    @extend_schema_field(serializers.ChoiceField(choices=Phase.choices))
    def get_phase(self, case) -> str:
        workflow = workflow_of(case.case_type)
        return workflow.phase(case.status) if case.status in workflow.statuses else ""

    def get_form(self, case) -> str | None:
        return case.offering.form.slug if case.offering_id else None

    def get_submission(self, case) -> int | None:
        submission = getattr(case, "submission", None)
        return submission.pk if submission is not None else None

    def get_url(self, case) -> str:
        return _url(self, "case-detail", case_id=case.pk)


class CaseDetailSerializer(CaseSerializer):
    public_title = serializers.CharField(read_only=True)
    screening_basis = serializers.CharField(read_only=True)
    applicant_name = serializers.CharField(read_only=True)
    applicant_email = serializers.CharField(read_only=True)
    paused_at = serializers.DateTimeField(read_only=True, allow_null=True)
    paused_days = serializers.IntegerField(read_only=True)
    allowed_statuses = serializers.SerializerMethodField()
    journal_entries = JournalEntrySerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()

    @extend_schema_field(CaseStatusSerializer(many=True))
    def get_allowed_statuses(self, case):
        return CaseStatusSerializer(
            workflow_of(case.case_type).allowed(case.status), many=True
        ).data

    @extend_schema_field(CaseDocumentSerializer(many=True))
    def get_documents(self, case):
        documents = self.context.get("documents", [])
        return CaseDocumentSerializer(
            documents, many=True, context={**self.context, "case_id": case.pk}
        ).data


class CaseFilterSerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False, max_length=64, help_text=_("A workflow status key, e.g. `received`.")
    )
    updated_since = serializers.DateTimeField(
        required=False, help_text=_("Cases changed at or after this time (ISO 8601).")
    )
    form = serializers.SlugField(required=False, help_text=_("The form's slug."))
    unit = id_query_field(required=False, help_text=_("The handling unit's id."))
    organisation = id_query_field(required=False, help_text=_("The owning municipality's id."))


class CaseStatusMoveSerializer(serializers.Serializer):
    status = serializers.CharField(
        max_length=64,
        help_text=_("The status to move to; it must be among the case's `allowed_statuses`."),
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


# --- submissions ----------------------------------------------------------------------------


class SubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.UUIDField(read_only=True, help_text=_("The idempotency key."))
    form = serializers.SlugField(source="offering.form.slug", read_only=True)
    form_version = serializers.IntegerField(source="form_version.number", read_only=True)
    owner = OrganisationRefSerializer(source="offering.organisation", read_only=True)
    state = serializers.ChoiceField(choices=SubmissionState.choices, read_only=True)
    language = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    handling_organisation = OrganisationRefSerializer(
        source="case.handling_organisation", read_only=True
    )
    handling_unit = HandlingUnitSerializer(source="case.handling_unit", read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, submission) -> str:
        return _url(self, "submission-detail", submission_id=submission.pk)


class SubmissionDetailSerializer(SubmissionSerializer):
    answers = serializers.JSONField(
        read_only=True, help_text=_("The answers, keyed by the form version's field keys.")
    )
    documents = serializers.SerializerMethodField()

    @extend_schema_field(CaseDocumentSerializer(many=True))
    def get_documents(self, submission):
        return CaseDocumentSerializer(
            submission.documents.all(),
            many=True,
            context={**self.context, "case_id": submission.case_id},
        ).data


class SubmissionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SubmissionState.choices, required=False)
    updated_since = serializers.DateTimeField(
        required=False, help_text=_("Submitted at or after this time (ISO 8601).")
    )
    form = serializers.SlugField(required=False)
    unit = id_query_field(required=False, help_text=_("The handling unit's id."))


# --- webhooks -------------------------------------------------------------------------------


def _events_help() -> str:
    return ", ".join(f"`{e}`" for e in WebhookEvent.values)


EVENTS_HELP = format_lazy(_("The events: any of {events}."), events=_events_help())


class WebhookSubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    url = serializers.URLField(read_only=True)
    description = serializers.CharField(read_only=True)
    events = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=EVENTS_HELP
    )
    is_active = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    deliveries_url = serializers.SerializerMethodField()

    def get_deliveries_url(self, subscription) -> str:
        return _url(self, "webhook-delivery-list", subscription_id=subscription.pk)


class WebhookSubscriptionWithSecretSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=_("Shown only now: keep it to check the X-Samvirke-Signature header."),
    )


class WebhookSubscriptionCreateSerializer(serializers.Serializer):
    url = serializers.URLField(
        max_length=500, help_text=_("https:// (plain http only to localhost in development).")
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        min_length=1,
        max_length=10,
        help_text=EVENTS_HELP,
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    organisation = id_query_field(
        required=False,
        help_text=_(
            "The subscribing organisation: a token's own (the default); a staff user must "
            "name it when they handle cases for more than one."
        ),
    )


class WebhookSubscriptionUpdateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        min_length=1,
        max_length=10,
        required=False,
        help_text=EVENTS_HELP,
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_active = serializers.BooleanField(required=False)


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    subscription = serializers.IntegerField(source="subscription_id", read_only=True)
    event = serializers.ChoiceField(choices=WebhookEvent.choices, read_only=True)
    event_id = serializers.UUIDField(read_only=True)
    status = serializers.CharField(
        read_only=True,
        help_text=format_lazy(
            _("One of: {values}."), values=", ".join(f"`{v}`" for v in DeliveryStatus.values)
        ),
    )
    attempts = serializers.IntegerField(read_only=True)
    response_code = serializers.IntegerField(read_only=True, allow_null=True)
    error = serializers.CharField(read_only=True)
    next_attempt_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_attempt_at = serializers.DateTimeField(read_only=True, allow_null=True)
    delivered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    payload = serializers.JSONField(read_only=True, help_text=_("The event's data as sent."))


class WebhookDeliveryFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)
    event = serializers.ChoiceField(choices=WebhookEvent.choices, required=False)
