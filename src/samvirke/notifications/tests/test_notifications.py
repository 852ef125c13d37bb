"""The notification channel, tested once for every sender: queued in the caller's
transaction and sent only after it commits, delivered through the e-mail channel,
retried with backoff and then given up, logged without the message, and never with an
identity number in the body."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task_backends

from samvirke.core.registry import UnknownPluginError
from samvirke.notifications.channels import NotificationChannel, notification_channels
from samvirke.notifications.delivery import MAX_ATTEMPTS, retry_delay
from samvirke.notifications.models import Notification, NotificationStatus
from samvirke.notifications.services import notification_send
from samvirke.notifications.signals import notification_failed, notification_sent

pytestmark = pytest.mark.django_db

ADDRESS = "kari.nabo@example.invalid"
LINK = "https://samvirke.example/cases/mine/17/"


def send(**overrides) -> Notification:
    arguments = {
        "to": ADDRESS,
        "subject": "A new message\n  about your case ",
        "body": "There is a new message about your case. Read it here:",
        "link": LINK,
        "purpose": "tests.message",
        "reference": "17",
    }
    arguments.update(overrides)
    return notification_send(**arguments)


class FailingChannel(NotificationChannel):
    """Stands in for the e-mail channel: the mail server is down `failures` times."""

    verbose_name = _("Failing e-mail")
    failures = 0
    calls = 0

    def deliver(self, *, recipients, subject, body):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionRefusedError("mail server down")
        mail.outbox.append(mail.EmailMessage(subject=subject, body=body, to=recipients))


@pytest.fixture
def failing_email():
    FailingChannel.calls = 0
    FailingChannel.failures = 0
    with notification_channels.temporarily("email", FailingChannel, replace=True):
        yield FailingChannel


def test_the_message_is_queued_with_the_change_and_sent_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = send()
    # recorded in the caller's transaction, but nothing has gone yet
    assert notification.status == NotificationStatus.QUEUED and notification.attempts == 0
    assert len(callbacks) == 1 and mail.outbox == []

    callbacks[0]()  # the commit
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 1 and notification.sent_at is not None
    assert notification.body == ""  # the message is not kept once it has gone
    assert notification.recipients == [ADDRESS] and notification.purpose == "tests.message"


def test_e_mail_goes_through_django_mail_from_the_default_sender(
    django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        send(to=[ADDRESS, "per@example.invalid"])
    [message] = mail.outbox
    assert message.to == [ADDRESS, "per@example.invalid"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "A new message about your case"  # one line
    assert message.body == (
        "There is a new message about your case. Read it here:\n\n" + LINK + "\n"
    )


def test_a_link_already_in_the_body_is_not_added_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(body=f"Read it here: {LINK}\n\n– Samvirke\n")
    assert mail.outbox[0].body == f"Read it here: {LINK}\n\n– Samvirke\n"


def test_a_change_that_is_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send()
        raise RuntimeError("the caller's change fails")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.filter(purpose="tests.message").exists()


def test_the_sender_hears_that_the_message_went(django_capture_on_commit_callbacks):
    heard = []

    def receiver(sender, notification, **kwargs):
        heard.append((notification.purpose, notification.reference, notification.status))

    notification_sent.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            send()
    finally:
        notification_sent.disconnect(receiver)
    assert heard == [("tests.message", "17", NotificationStatus.SENT)]


def test_a_failed_delivery_is_retried_at_once_where_the_queue_cannot_wait(
    failing_email, django_capture_on_commit_callbacks
):
    """The immediate backend of tests and development cannot defer a task: the retry
    runs at once, and is counted like any other."""
    failing_email.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        notification = send()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 3 and failing_email.calls == 3
    assert len(mail.outbox) == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_retries_back_off_exponentially_then_give_up(
    failing_email, django_capture_on_commit_callbacks
):
    failing_email.failures = MAX_ATTEMPTS
    given_up = []

    def receiver(sender, notification, **kwargs):
        given_up.append(notification.pk)

    backend = task_backends["default"]
    notification_failed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notification = send()
        [queued] = backend.results
        assert queued.task.run_after is None  # the first attempt: at once
        waits = []
        for attempt in range(1, MAX_ATTEMPTS + 1):
            result = backend.results[-1]
            before = timezone.now()
            result.task.call(*result.args, **result.kwargs)  # the worker runs it
            notification.refresh_from_db()
            assert notification.attempts == attempt
            assert "ConnectionRefusedError: mail server down" in notification.last_error
            if attempt < MAX_ATTEMPTS:
                assert notification.status == NotificationStatus.QUEUED
                retry = backend.results[-1]
                assert list(retry.args) == [notification.pk]
                waits.append(retry.task.run_after - before)
                assert notification.next_attempt_at == retry.task.run_after
    finally:
        notification_failed.disconnect(receiver)

    assert len(backend.results) == MAX_ATTEMPTS  # no sixth attempt is queued
    assert notification.status == NotificationStatus.FAILED
    assert notification.body == "" and notification.next_attempt_at is None
    assert given_up == [notification.pk]
    assert mail.outbox == []
    # 1, 2, 4 and 8 minutes (give or take the time the test itself takes)
    expected = [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert expected == [datetime.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    for wait, delay in zip(waits, expected, strict=True):
        assert delay <= wait < delay + datetime.timedelta(seconds=5)


def test_each_attempt_is_logged_without_the_message_or_the_addresses(
    failing_email, django_capture_on_commit_callbacks, caplog
):
    failing_email.failures = 1
    caplog.set_level(logging.INFO, logger="samvirke.notifications")
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(body="Your secret word is swordfish.")
    lines = [r.getMessage() for r in caplog.records if r.name == "samvirke.notifications"]
    assert lines == [
        f"notification {notification.pk} (tests.message via email) attempt 1 of "
        f"{MAX_ATTEMPTS}: failed, will retry (ConnectionRefusedError)",
        f"notification {notification.pk} (tests.message via email) attempt 2 of "
        f"{MAX_ATTEMPTS}: sent",
    ]
    for record in caplog.records:
        text = record.getMessage() + repr(record.__dict__)
        assert "swordfish" not in text and ADDRESS not in text and LINK not in text


@pytest.mark.parametrize(
    "number", ["01017012345", "010170 12345", "700101-1234", "19700101-1234", "700101+1234"]
)
def test_an_identity_number_never_reaches_the_body(
    number, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        send(body=f"Case for {number}, read it here:")
    body = mail.outbox[0].body
    assert number not in body and "Case for •••, read it here:" in body
    assert "held 1 identity number(s)" in caplog.text


def test_digits_in_a_link_and_other_numbers_are_left_alone(django_capture_on_commit_callbacks):
    link = "https://samvirke.example/reset/MTc/01017012345-abc/"
    body = f"Case 2025/00123, phone 22 33 44 55, account 1234.56.78903: {link}"
    with django_capture_on_commit_callbacks(execute=True):
        send(body=body, link=link)
    assert mail.outbox[0].body == body


def test_an_unknown_channel_or_no_recipient_is_a_fault_in_the_caller():
    with (
        translation.override("en"),
        pytest.raises(UnknownPluginError, match="No notification channel is registered as 'sms'"),
    ):
        send(channel="sms")
    with pytest.raises(ValueError, match="at least one recipient"):
        send(to=[])
    with pytest.raises(ValueError, match="at least one recipient"):
        send(to="")
    assert not Notification.objects.filter(purpose="tests.message").exists()
