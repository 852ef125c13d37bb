"""Sending a notification: the one way a message leaves Samvirke for a person (e-mail
today; SMS or a digital mailbox are further channels of the same service).

`notification_send` records the message in the caller's transaction and queues its
delivery for after the commit, so a change that is rolled back sends nothing and a slow
or failing mail server never fails the caller's request. The background task delivers it
through the channel's plugin, retrying with backoff (see `delivery`).

The body rule: a notification tells the person *that* something happened and *where* to
read it — a link to a page behind a login or a personal link — never the details
themselves. No national identity number, case contents or health details in a body:
pass the page's address as `link`, and keep the body short. As a last guard, anything in
the body that looks like a Norwegian or Swedish identity number is blanked out (and
logged as a fault in the caller). See docs/notifications.md."""

from __future__ import annotations

import datetime
import logging
import re
from functools import partial

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from samvirke.notifications import tasks
from samvirke.notifications.channels import notification_channels
from samvirke.notifications.models import Notification, NotificationStatus

logger = logging.getLogger("samvirke.notifications")

# a web address is kept whole (its random tokens may hold digits); outside one, 11 digits
# (fødselsnummer, D-nummer) or a Swedish personnummer with its separator is blanked
_URL_OR_IDENTITY_NUMBER = re.compile(
    r"(?P<url>https?://\S+)"
    r"|(?<![\w-])(?P<number>\d{6} ?\d{5}|(?:\d{2})?\d{6}[-+]\d{4})(?![\w-])"
)
BLANKED = "•••"


def notification_send(
    *,
    to: list[str] | str,
    subject: str,
    body: str,
    purpose: str,
    link: str = "",
    channel: str = "email",
    reference: str = "",
) -> Notification:
    """Queues a message to `to` (one address or several, who all see each other) through
    `channel`, sent once the surrounding transaction commits.

    `purpose` names what the message is for (`neighbours.notice`); `reference` the object
    it concerns, for the sending app's own bookkeeping (the `notification_sent` signal
    carries both back). `link` is where the person reads the details; it is added at the
    end of the body unless the body already holds it.

    Raises only for a programming error (an unknown channel, no recipient); a delivery
    that fails is retried and, in the end, recorded as failed — never raised."""
    notification_channels[channel]  # an unknown channel is a fault in the caller
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients or not all(recipients):
        raise ValueError("A notification needs at least one recipient.")
    if link and link not in body:
        body = f"{body.rstrip()}\n\n{link}\n"
    notification = Notification.objects.create(
        channel=channel,
        recipients=recipients,
        subject=" ".join(subject.split()),  # a subject rendered from a template: one line
        body=_without_identity_numbers(body, purpose=purpose),
        purpose=purpose,
        reference=reference,
    )
    transaction.on_commit(partial(tasks.notification_enqueue, notification.pk))
    return notification


def _without_identity_numbers(body: str, *, purpose: str) -> str:
    blanked = 0

    def blank(match: re.Match[str]) -> str:
        nonlocal blanked
        if match.group("number") is None:
            return match.group(0)
        blanked += 1
        return BLANKED

    cleaned = _URL_OR_IDENTITY_NUMBER.sub(blank, body)
    if blanked:
        logger.error(
            "notification body for %s held %d identity number(s); blanked out", purpose, blanked
        )
    return cleaned


#: A queued notification still undelivered this long after it was due has lost its task.
LOST_AFTER = datetime.timedelta(minutes=10)


def notifications_requeue_lost(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Queues delivery again for notifications still queued well after they were due (the
    worker died, or the queue could not be reached when they were made). Each is marked
    as due now, so it is not queued again before another `LOST_AFTER`; delivery is
    idempotent, so a task that was only slow does no harm. Returns how many."""
    now = now or timezone.now()
    due = Coalesce("next_attempt_at", "last_attempt_at", "created_at")
    ids = list(
        Notification.objects.annotate(due=due)
        .filter(status=NotificationStatus.QUEUED, due__lt=now - LOST_AFTER)
        .order_by("due")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            updated = Notification.objects.filter(pk=pk, status=NotificationStatus.QUEUED).update(
                next_attempt_at=now
            )
            if updated:
                transaction.on_commit(partial(tasks.notification_enqueue, pk))
    if ids:
        logger.warning("%d queued notification(s) had lost their task: queued again", len(ids))
    return len(ids)
