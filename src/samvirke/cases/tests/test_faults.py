"""Faults survived, in the service square: a rolled-back store leaves no file, drafts and
their attachments go after their retention (the citizen told first), and parallel
replays of a submit all get the receipt."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from samvirke.accounts.tests.factories import citizen, eid_client
from samvirke.audit.models import AuditEvent
from samvirke.cases.documents.services import document_store
from samvirke.cases.models import Document, Draft, Submission
from samvirke.cases.submission import services
from samvirke.cases.submission.services import (
    attachment_store,
    drafts_deletion_notify,
    drafts_expire,
    submission_receive,
)
from samvirke.cases.tests.factories import MESSAGE_STEP_1, filled_message_draft, offering
from samvirke.cases.tests.formdata import PDF, PNG
from samvirke.core.files import _walk, pending_files_discard
from samvirke.notifications.models import Notification

pytestmark = pytest.mark.django_db

LIMITS = {"max_size_mb": 2, "allowed_types": ["application/pdf"]}


class Upload:
    def __init__(self, name: str, content: bytes, content_type: str = "application/pdf"):
        self.name, self.content, self.content_type, self.size = (
            name,
            content,
            content_type,
            len(content),
        )

    def read(self, *args):
        return self.content

    def seek(self, *args):
        return 0

    def chunks(self):
        yield self.content


# --- files of a transaction that did not commit --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_store_leaves_no_file_and_a_committed_one_stays(demo):
    organisation = demo.org["askim"]
    names = []
    pending_files_discard()  # what earlier (rolled-back) tests in this thread left

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        document = document_store(
            organisation=organisation, name="lost.pdf", content=PDF, content_type="x/pdf"
        )
        names.append(document.file.name)
        assert default_storage.exists(document.file.name)  # readable inside the transaction
        raise Boom
    with transaction.atomic():
        kept = document_store(
            organisation=organisation, name="kept.pdf", content=PDF, content_type="x/pdf"
        )
    # the end of the request (or task) cleans up what did not commit
    assert pending_files_discard() == 1
    assert not default_storage.exists(names[0])
    assert default_storage.exists(kept.file.name)
    assert Document.objects.filter(pk=kept.pk).exists()
    kept.file.delete(save=False)
    kept.delete()


@pytest.mark.django_db(transaction=True)
def test_a_request_that_fails_after_storing_an_attachment_leaves_no_file(demo, monkeypatch):
    """An upload stored, then the step's transaction fails: no row, no file, once the
    request has ended (request_finished)."""
    client = Client()
    start_url = reverse(
        "submit:start", kwargs={"municipality": "askim", "form": "melding-til-kommunen"}
    )
    step_url = client.post(start_url)["Location"]
    before = set(_stored_files())

    def fail(*args, **kwargs):
        raise RuntimeError("killed mid-request")

    monkeypatch.setattr(services, "audit_record", fail)
    client.raise_request_exception = False

    response = client.post(step_url, {**MESSAGE_STEP_1, "photo": _file("hole.png", PNG)})
    assert response.status_code == 500
    assert not Document.objects.filter(name="hole.png").exists()
    assert set(_stored_files()) == before
    Draft.objects.filter(offering=offering(demo)).delete()


def _file(name, content):
    return SimpleUploadedFile(name, content, content_type="image/png")


def _stored_files():
    return list(_walk(default_storage, "cases"))


# --- draft retention ---------------------------------------------------------------------


def _age(draft: Draft, days: int) -> None:
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=days))
    draft.refresh_from_db()


def test_an_anonymous_draft_with_its_attachment_is_deleted_after_30_days(demo):
    draft = filled_message_draft(demo)
    attachment = attachment_store(
        draft=draft, field_key="photo", upload=Upload("a.pdf", PDF), limits=LIMITS, actor=None
    )
    name = attachment.file.name
    assert default_storage.exists(name)
    _age(draft, 29)
    assert drafts_expire() == 0
    _age(draft, 31)
    assert draft.retention_days == 30
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert drafts_expire() == 1
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert not Document.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(name)
    event = AuditEvent.objects.filter(object_id=str(draft.pk), action="delete").last()
    assert event is not None and event.details["reason"] == "retention"


def test_an_identified_draft_is_kept_90_days_and_the_citizen_is_told_a_week_before(demo):
    user = citizen(level="high")
    user.email = "kari@example.invalid"
    user.save()
    draft = filled_message_draft(demo, user)
    _age(draft, 31)
    assert drafts_expire() == 0  # the anonymous retention does not apply
    page = eid_client(user).get(reverse("submit:drafts")).content.decode()
    assert timezone.localtime(draft.deletes_at).strftime("%d.%m.%Y") in page
    assert 'id="draft-retention"' in page and " 90 " in page
    assert drafts_deletion_notify() == 0  # not yet within the notice period
    _age(draft, 84)
    assert drafts_deletion_notify() == 1
    notice = Notification.objects.get(purpose="cases.draft_deletion", reference=str(draft.pk))
    assert notice.recipients == ["kari@example.invalid"]
    assert timezone.localtime(draft.deletes_at).strftime("%d.%m.%Y") in notice.body
    assert reverse("submit:drafts") in notice.body
    assert drafts_deletion_notify() == 0  # told once
    draft.refresh_from_db()
    assert draft.updated_at < timezone.now() - timedelta(days=83)  # the notice moved nothing
    _age(draft, 91)
    assert drafts_expire() == 1


@override_settings(SAMVIRKE_DRAFT_RETENTION_DAYS_ANONYMOUS=3)
def test_the_retention_is_a_setting_and_the_pages_say_it(demo):
    client = Client()
    start_url = reverse(
        "submit:start", kwargs={"municipality": "askim", "form": "melding-til-kommunen"}
    )
    page = client.get(start_url).content.decode()
    assert 'id="draft-retention"' in page and " 3 " in page
    step = client.get(client.post(start_url)["Location"]).content.decode()
    deletes = (timezone.localtime() + timedelta(days=3)).strftime("%d.%m.%Y")
    assert deletes in step
    draft = Draft.objects.get(offering=offering(demo), user=None)
    _age(draft, 4)
    assert drafts_expire() == 1


# --- parallel replays of a submit ----------------------------------------------------------


def _anonymous_draft(demo) -> tuple[Client, Draft, str]:
    client = Client()
    session = client.session
    session.save()
    client.cookies["sessionid"] = session.session_key
    draft = filled_message_draft(demo, session_key=session.session_key)
    review = reverse(
        "submit:review",
        kwargs={"municipality": "askim", "form": "melding-til-kommunen", "key": draft.key},
    )
    return client, draft, review


def test_a_replay_that_reads_the_session_before_the_first_submit_saved_it_gets_the_receipt(
    demo,
):
    """The race behind "2 of 5 parallel replays got a 404": the first request has
    submitted (the draft is gone) but not yet saved the session with the receipt's key."""
    client, draft, review = _anonymous_draft(demo)
    submission = submission_receive(draft=draft, actor=None)  # as the first request did
    response = client.post(review)
    receipt = reverse("submit:receipt", kwargs={"key": submission.key})
    assert response.status_code == 302 and response["Location"] == receipt
    assert client.get(receipt).status_code == 200
    assert Client().get(receipt).status_code == 404  # another browser still does not


@pytest.mark.django_db(transaction=True)
def test_five_parallel_replays_of_a_submit_all_get_the_receipt(demo):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that lets requests wait for each other's locks")
    client, draft, review = _anonymous_draft(demo)
    cookie = client.cookies["sessionid"].value
    barrier = threading.Barrier(5)
    answers: list[tuple[int, int]] = []

    def replay():
        try:
            browser = Client()
            browser.cookies["sessionid"] = cookie
            barrier.wait()
            posted = browser.post(review)
            location = posted.get("Location", "")
            answers.append((posted.status_code, browser.get(location).status_code))
        finally:
            connection.close()

    threads = [threading.Thread(target=replay) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [(302, 200)] * 5
    assert Submission.objects.filter(key=draft.key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_committed_file_stays_when_a_task_ends_among_the_commit_callbacks(demo):
    """The immediate backend runs a task queued on commit at once; its end (task_finished)
    comes before the later callbacks of the same commit, which must not cost a file."""
    pending_files_discard()
    with transaction.atomic():
        transaction.on_commit(pending_files_discard)  # as a task queued on commit ends
        kept = document_store(
            organisation=demo.org["askim"], name="kept.pdf", content=PDF, content_type="x/pdf"
        )
    assert default_storage.exists(kept.file.name)
    kept.file.delete(save=False)
    kept.delete()
