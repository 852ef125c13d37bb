"""One delivery attempt of a queued notification: through its channel, counted, logged,
and either done (sent), scheduled again with exponential backoff, or given up (failed)
after the last attempt.

This is the write the background task runs; it sits apart from `services` so that the
task module can call it while `services` queues the task, without an import circle.

Each attempt writes one log line on the `samvirke.notifications` logger with the
notification's id, purpose, channel, attempt number and outcome — never the body nor the
recipients' addresses. The row (status, attempts, last_error, next_attempt_at) is what
operations look at."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from samvirke.notifications.channels import notification_channels
from samvirke.notifications.models import Notification, NotificationStatus
from samvirke.notifications.signals import notification_failed, notification_sent

logger = logging.getLogger("samvirke.notifications")

MAX_ATTEMPTS = 5
FIRST_RETRY_AFTER = datetime.timedelta(minutes=1)  # then 2, 4 and 8 minutes
LAST_ERROR_LENGTH = 1000


class ChannelUnavailable(Exception):
    """The notification's channel is switched off in this installation."""


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, ...): doubling."""
    return FIRST_RETRY_AFTER * 2 ** (attempt - 1)


def notification_attempt(*, notification_id: int) -> datetime.datetime | None:
    """Tries to deliver the notification once. Returns when to try again, or None when
    there is nothing more to do (sent, given up, or not waiting for delivery). Never
    raises for a failed delivery."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.status != NotificationStatus.QUEUED:
        return None
    attempt = notification.attempts + 1
    now = timezone.now()
    # claim this attempt: a second worker running the same task finds the count moved on
    claimed = Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.QUEUED, attempts=notification.attempts
    ).update(attempts=attempt, last_attempt_at=now, next_attempt_at=None)
    if not claimed:
        return None
    notification.attempts, notification.last_attempt_at = attempt, now
    notification.next_attempt_at = None
    try:
        channel = notification_channels[notification.channel]
        if not channel.is_enabled():
            raise ChannelUnavailable(f"the {notification.channel} channel is switched off")
        channel().deliver(
            recipients=list(notification.recipients),
            subject=notification.subject,
            body=notification.body,
        )
    except Exception as error:  # any failure of a channel is a failed attempt, retried
        return _failed(notification, attempt=attempt, error=error)
    notification.status = NotificationStatus.SENT
    notification.sent_at = timezone.now()
    notification.body = ""
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "body", "last_error"])
    _log(logging.INFO, notification, "sent")
    _announce(notification_sent, notification)
    return None


def _failed(
    notification: Notification, *, attempt: int, error: Exception
) -> datetime.datetime | None:
    notification.last_error = f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]
    if attempt >= MAX_ATTEMPTS:
        notification.status = NotificationStatus.FAILED
        notification.body = ""
        notification.save(update_fields=["status", "body", "last_error"])
        _log(logging.ERROR, notification, "failed, given up", error=error)
        _announce(notification_failed, notification)
        return None
    notification.next_attempt_at = timezone.now() + retry_delay(attempt)
    notification.save(update_fields=["last_error", "next_attempt_at"])
    _log(logging.WARNING, notification, "failed, will retry", error=error)
    return notification.next_attempt_at


def _log(level: int, notification: Notification, outcome: str, error: Exception | None = None):
    logger.log(
        level,
        "notification %s (%s via %s) attempt %d of %d: %s%s",
        notification.pk,
        notification.purpose,
        notification.channel,
        notification.attempts,
        MAX_ATTEMPTS,
        outcome,
        f" ({type(error).__name__})" if error is not None else "",
        extra={
            "notification": notification.pk,
            "purpose": notification.purpose,
            "attempt": notification.attempts,
            "recipient_count": len(notification.recipients),
        },
    )


def _announce(signal, notification: Notification) -> None:
    """Tells the sending app; a receiver's fault is logged, and does not make the message
    go out again."""
    for receiver, response in signal.send_robust(sender=Notification, notification=notification):
        if isinstance(response, Exception):
            logger.error(
                "notification %s: receiver %r failed",
                notification.pk,
                receiver,
                exc_info=response,
            )
