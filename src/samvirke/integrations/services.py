"""Writes through the integration API: a case's status, journal entries with an uploaded
file, and webhook subscriptions. Each goes through the service square's core services
(which audit it with the acting user: for a token, its service account) and checks that the
caller may act on the object.

Who may write: a status change is case handling, so only the handling organisation's
token (or a staff user who may handle the case) may make one; a journal entry may also be
added by the owning municipality's token, whose archive the journal belongs to."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record, audited_update
from samvirke.cases.core.selectors import need_to_know_allows
from samvirke.cases.core.services import case_status_move, require_case_handler
from samvirke.cases.documents import services as uploads
from samvirke.cases.documents.services import document_store
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.models import Case, CaseEvent, DocumentKind, EntryType, JournalEntry
from samvirke.integrations import signing
from samvirke.integrations.errors import IntegrationsErrorCode
from samvirke.integrations.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from samvirke.integrations.selectors import handling_organisation_ids
from samvirke.integrations.tasks import delivery_enqueue
from samvirke.integrations.webhooks import url_problem

MAX_UPLOAD_MB = 25
# Sniffed content types a journal document may have (archival formats and images).
ALLOWED_CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
}


def _require_acting_on(actor, token, case: Case, *, owner_may: bool) -> None:
    if token is None:
        require_case_handler(actor, case)
        return
    allowed = {case.handling_organisation_id}
    if owner_may:
        allowed.add(case.organisation_id)
    if token.organisation_id not in allowed or not need_to_know_allows(actor, case):
        raise PermissionDenied(
            _("Only the organisation that handles the case may change its status.")
        )


def api_case_status_move(*, actor, token, case: Case, to_status: str, reason: str = "") -> Case:
    """Moves the case along its workflow (core `case_status_move`: audited, timeline,
    deadline clock, `case.status_changed` after commit). An unknown status or a transition
    the workflow does not allow is a validation error on `status` with the core's code."""
    _require_acting_on(actor, token, case, owner_may=False)
    try:
        return case_status_move(case=case, to_status=to_status, actor=actor, reason=reason)
    except ValidationError as error:
        raise ValidationError(
            {"status": error.messages[0]}, code=error.code or IntegrationsErrorCode.INVALID
        ) from error


#: The API's codes for a refused file (part of its contract, see docs/api.md), from
#: `uploads.UploadRefused.code`. An empty file is not one of the allowed types.
REFUSAL_CODES: dict[str, IntegrationsErrorCode] = {
    uploads.EMPTY: IntegrationsErrorCode.FILE_TYPE_NOT_ALLOWED,
    uploads.TOO_LARGE: IntegrationsErrorCode.FILE_TOO_LARGE,
    uploads.TYPE_MISMATCH: IntegrationsErrorCode.FILE_TYPE_NOT_ALLOWED,
    uploads.TYPE_UNKNOWN: IntegrationsErrorCode.FILE_TYPE_NOT_ALLOWED,
    uploads.SCAN_UNAVAILABLE: IntegrationsErrorCode.SCAN_UNAVAILABLE,
    uploads.VIRUS_FOUND: IntegrationsErrorCode.FILE_INFECTED,
    # the content read in full (samvirke.core.filecontent)
    uploads.NAME_TYPE_MISMATCH: IntegrationsErrorCode.FILE_CONTENT_NOT_ALLOWED,
    uploads.IMAGE_INVALID: IntegrationsErrorCode.FILE_CONTENT_NOT_ALLOWED,
    uploads.IMAGE_TOO_LARGE: IntegrationsErrorCode.FILE_CONTENT_NOT_ALLOWED,
    uploads.PDF_INVALID: IntegrationsErrorCode.FILE_CONTENT_NOT_ALLOWED,
    uploads.PDF_SCRIPT: IntegrationsErrorCode.FILE_CONTENT_NOT_ALLOWED,
    uploads.PDF_EMBEDDED_FILE: IntegrationsErrorCode.FILE_CONTENT_NOT_ALLOWED,
}


def _checked_upload(file, *, actor, token, case: Case) -> uploads.CheckedUpload:
    """The upload checked by `uploads.upload_check` (size, type sniffed from the content,
    virus scan), or a validation error on `file` with the API's code. A refused virus is
    audited with the acting user."""
    try:
        return uploads.upload_check(
            file, max_mb=MAX_UPLOAD_MB, allowed_types=list(ALLOWED_CONTENT_TYPES)
        )
    except uploads.UploadRefused as refused:
        uploads.upload_refusal_audit(
            refused,
            actor=actor,
            acting_for=token.organisation if token is not None else case.handling_organisation,
            details={"case": case.reference, "via": "api"},
        )
        code = REFUSAL_CODES.get(refused.code, IntegrationsErrorCode.INVALID)
        raise ValidationError(
            {"file": ValidationError(refused.message, code=code)}, code=code
        ) from None


def api_journal_entry_add(
    *,
    actor,
    token,
    case: Case,
    entry_type: str,
    title: str,
    protected: list[str] | None = None,
    parties: list[dict] | None = None,
    document_date=None,
    file=None,
) -> JournalEntry:
    """Registers a journal entry in the case's owning municipality's journal, with the
    uploaded file (if any) stored as its document, all in one transaction."""
    _require_acting_on(actor, token, case, owner_may=True)
    if entry_type not in EntryType.values:
        raise ValidationError(
            {"entry_type": _("Unknown journal entry type.")}, code=IntegrationsErrorCode.INVALID
        )
    upload = (
        _checked_upload(file, actor=actor, token=token, case=case) if file is not None else None
    )
    with transaction.atomic():
        documents = []
        if upload is not None:
            documents.append(
                document_store(
                    organisation=case.organisation,
                    name=upload.name or f"document{ALLOWED_CONTENT_TYPES[upload.content_type]}",
                    content=upload.content,
                    content_type=upload.content_type,
                    kind=DocumentKind.LETTER
                    if entry_type == EntryType.OUTGOING
                    else DocumentKind.ATTACHMENT,
                    uploaded_by=actor,
                    scan_status=upload.scan_status,
                    case=case,
                )
            )
        entry = journal_entry_create(
            case=case,
            entry_type=entry_type,
            title=title,
            protected=protected or [],
            parties=parties or [],
            documents=documents,
            document_date=document_date,
            actor=actor,
        )
        CaseEvent.objects.create(
            case=case,
            kind="journal_entry",
            actor=actor if actor is not None and actor.is_authenticated else None,
            data={"entry": entry.pk, "type": entry_type, "via": "api"},
        )
        Case.objects.filter(pk=case.pk).update(updated_at=entry.created_at)
    return entry


def api_read_record(
    *,
    actor,
    token,
    obj=None,
    object_type: str | None = None,
    ids: list[int] | None = None,
    what: str,
) -> None:
    """Records a read through the API (a case, its journal, a document, a list of cases):
    personal data leaves through it, so every read is audited, for the token's
    organisation when a token is used."""
    audit_record(
        action=AuditAction.READ,
        obj=obj,
        object_type=object_type,
        actor=actor,
        acting_for=token.organisation if token is not None else None,
        details={"via": "api", "what": what, **({"ids": ids} if ids is not None else {})},
    )


# --- webhook subscriptions ----------------------------------------------------------------


def _clean(url: str, events: list[str]) -> None:
    problem = url_problem(url)
    if problem is not None:
        raise ValidationError({"url": problem[1]}, code=problem[0])
    if not events:
        raise ValidationError(
            {"events": _("Choose at least one event.")}, code=IntegrationsErrorCode.REQUIRED
        )
    unknown = [e for e in events if e not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            {"events": _("Unknown events: %s") % ", ".join(unknown)},
            code=IntegrationsErrorCode.INVALID_CHOICE,
        )


def _require_manage(actor, token, organisation) -> None:
    if organisation.pk not in handling_organisation_ids(actor, token):
        raise PermissionDenied(
            _("Only the organisation's case handlers and administrators manage its webhooks.")
        )


@transaction.atomic
def webhook_subscription_create(
    *, actor, token, organisation, url: str, events: list[str], description: str = ""
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (returned once; receivers check signatures with it)."""
    _require_manage(actor, token, organisation)
    events = sorted(set(events))
    _clean(url, events)
    secret = signing.secret_new()
    subscription = WebhookSubscription.objects.create(
        organisation=organisation,
        url=url,
        events=events,
        description=description,
        secret=secret,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        action=AuditAction.CREATE,
        obj=subscription,
        actor=actor,
        acting_for=organisation,
        details={"url": url, "events": events},
    )
    return subscription, secret


@transaction.atomic
def webhook_subscription_update(
    *, actor, token, subscription: WebhookSubscription, **changes
) -> WebhookSubscription:
    _require_manage(actor, token, subscription.organisation)
    fields: list[str] = [f for f in ("url", "events", "description", "is_active") if f in changes]
    if "events" in changes:
        changes["events"] = sorted(set(changes["events"]))
    audited_update(
        subscription,
        actor=actor,
        acting_for=subscription.organisation,
        changes={name: changes[name] for name in fields},
        fields=fields,
        check=lambda: _clean(subscription.url, subscription.events),
        full_clean=False,
        update_fields=[*fields, "updated_at"],
        # an update that changes nothing is still recorded, as it always was
        record_unchanged=True,
    )
    return subscription


@transaction.atomic
def webhook_subscription_secret_rotate(
    *, actor, token, subscription: WebhookSubscription
) -> tuple[WebhookSubscription, str]:
    """A new secret; the old one stops working at once. Returned once."""
    _require_manage(actor, token, subscription.organisation)
    secret = signing.secret_new()
    subscription.secret = secret
    subscription.save(update_fields=["secret", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=subscription,
        actor=actor,
        acting_for=subscription.organisation,
        changes={"secret": ["*", "*"]},
    )
    return subscription, secret


@transaction.atomic
def webhook_subscription_delete(*, actor, token, subscription: WebhookSubscription) -> None:
    """Deletes the subscription and its delivery log."""
    _require_manage(actor, token, subscription.organisation)
    audit_record(
        action=AuditAction.DELETE,
        obj=subscription,
        actor=actor,
        acting_for=subscription.organisation,
        details={"url": subscription.url, "deliveries": subscription.deliveries.count()},
    )
    subscription.delete()


def webhook_delivery_redeliver(*, actor, token, delivery: WebhookDelivery) -> WebhookDelivery:
    """Sends a failed or delivered event again, now, with a fresh round of attempts."""
    _require_manage(actor, token, delivery.subscription.organisation)
    if delivery.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING):
        raise ValidationError(
            _("The delivery is being sent already."),
            code=IntegrationsErrorCode.DELIVERY_IN_PROGRESS,
        )

    with transaction.atomic():
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.error = ""
        delivery.save(
            update_fields=["status", "attempts", "next_attempt_at", "error", "updated_at"]
        )
        audit_record(
            action=AuditAction.UPDATE,
            obj=delivery,
            actor=actor,
            acting_for=delivery.subscription.organisation,
            details={"redeliver": True},
        )
    delivery_enqueue(delivery)
    delivery.refresh_from_db()
    return delivery
