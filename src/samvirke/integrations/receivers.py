"""Receivers of the service square's signals (sent after commit): each event becomes
webhook deliveries for the subscriptions of the case's owning and handling organisations.

A receiver never raises: a failing webhook must not touch the citizen's submission or the
handler's step, which are committed already."""

from __future__ import annotations

import logging

from django.dispatch import receiver
from django.utils import timezone

from samvirke.cases import signals
from samvirke.integrations.models import WebhookEvent
from samvirke.integrations.webhooks import _api_url, deliveries_create, payload_for

logger = logging.getLogger(__name__)


@receiver(signals.submission_received, dispatch_uid="integrations.submission_received")
def on_submission_received(sender, submission=None, case=None, **kwargs):
    # A submission without a case yet (waiting for neighbours' answers) is not received by
    # the municipality; the event goes out once it is, with its case. An access request
    # filed from the public journal is received as a case with no form submission behind it.
    try:
        case = case or (submission.case if submission is not None else None)
        if case is None:
            return
        if submission is None:
            occurred_at, details = case.opened_at, None
        else:
            occurred_at = submission.submitted_at
            details = {
                "id": submission.pk,
                "form": submission.offering.form.slug,
                "submitted_at": submission.submitted_at.isoformat(),
                "url": _api_url("submission-detail", submission_id=submission.pk),
            }
        deliveries_create(
            WebhookEvent.SUBMISSION_RECEIVED,
            case=case,
            payload=payload_for(
                WebhookEvent.SUBMISSION_RECEIVED,
                case=case,
                occurred_at=occurred_at,
                submission=details,
            ),
        )
    except Exception:  # noqa: BLE001 - see the module docstring
        logger.exception("Webhook deliveries for a submission failed")


@receiver(signals.case_status_changed, dispatch_uid="integrations.case_status_changed")
def on_case_status_changed(sender, case=None, old_status="", new_status="", **kwargs):
    try:
        deliveries_create(
            WebhookEvent.CASE_STATUS_CHANGED,
            case=case,
            payload=payload_for(
                WebhookEvent.CASE_STATUS_CHANGED,
                case=case,
                occurred_at=timezone.now(),
                old_status=old_status,
                new_status=new_status,
            ),
        )
    except Exception:  # noqa: BLE001
        logger.exception("Webhook deliveries for a status change failed")


@receiver(signals.case_message_added, dispatch_uid="integrations.case_message_added")
def on_case_message_added(sender, message=None, **kwargs):
    try:
        case = message.case
        deliveries_create(
            WebhookEvent.CASE_MESSAGE_ADDED,
            case=case,
            payload=payload_for(
                WebhookEvent.CASE_MESSAGE_ADDED,
                case=case,
                occurred_at=message.created_at,
                message={
                    "id": message.pk,
                    "direction": message.direction,
                    "requests_information": message.requests_information,
                    "created_at": message.created_at.isoformat(),
                },
            ),
        )
    except Exception:  # noqa: BLE001
        logger.exception("Webhook deliveries for a message failed")
