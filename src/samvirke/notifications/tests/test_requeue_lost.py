"""Notifications whose delivery task was lost (a killed worker, a queue that could not be
reached) are queued again by the periodic job `notifications-requeue-lost`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from samvirke.notifications import tasks
from samvirke.notifications.models import Notification, NotificationStatus
from samvirke.notifications.services import notifications_requeue_lost

pytestmark = pytest.mark.django_db


def test_a_queued_notification_whose_task_was_lost_is_queued_again(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "notification_enqueue", lambda pk, **kw: queued.append(pk))
    lost = Notification.objects.create(
        channel="email",
        recipients=["a@example.invalid"],
        subject="s",
        body="b",
        purpose="test.lost",
        created_at=timezone.now() - timedelta(minutes=30),
    )
    fresh = Notification.objects.create(
        channel="email", recipients=["b@example.invalid"], subject="s", body="b", purpose="t"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notifications_requeue_lost() == 1
    assert queued == [lost.pk]
    assert fresh.status == NotificationStatus.QUEUED
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notifications_requeue_lost() == 0  # not again before another ten minutes
