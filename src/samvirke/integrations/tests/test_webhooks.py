"""Webhooks: subscriptions through the API, deliveries queued on commit only, signed with
HMAC-SHA256 and sent to a real HTTP server on 127.0.0.1, retried with backoff after
failures, and the delivery log."""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.db import transaction
from django.utils import timezone

from samvirke.accounts.tests.factories import citizen
from samvirke.api.tests.conftest import assert_error
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases import demo as cases_demo
from samvirke.cases import signals
from samvirke.cases.core.services import case_status_move
from samvirke.cases.handling.services import message_to_applicant
from samvirke.cases.models import Case, CaseMessage, MessageDirection, ServiceOffering
from samvirke.cases.submission.services import submission_receive
from samvirke.cases.tests.factories import (
    MINIMAL_INNSYN,
    access_request_post,
    case_with_submission,
    entitle_systems_to_ppt,
    filled_message_draft,
    new_case,
    open_case,
)
from samvirke.eservices import services as form_services
from samvirke.integrations import sending, signing, webhooks
from samvirke.integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

ALL_EVENTS = ["submission.received", "case.status_changed", "case.message_added"]


def subscribe(client, url, events=ALL_EVENTS) -> dict:
    response = client.post("/api/v1/webhooks/", {"url": url, "events": events}, "json")
    assert response.status_code == 201, response.content
    return response.json()


def test_subscription_crud_shows_the_secret_once(demo, token_client):
    client = token_client("askim", ["administrator"])
    created = subscribe(client, "https://sak.askim.example/hooks", ["case.status_changed"])
    assert created["secret"].startswith("whsec_")
    assert created["organisation"]["slug"] == "askim"
    url = f"/api/v1/webhooks/{created['id']}/"
    fetched = client.get(url).json()
    assert "secret" not in fetched
    assert "secret" not in client.get("/api/v1/webhooks/").json()["results"][0]
    changed = client.patch(url, {"events": ALL_EVENTS, "is_active": False}, "json").json()
    assert changed["events"] == sorted(ALL_EVENTS) and changed["is_active"] is False
    rotated = client.post(url + "rotate-secret/").json()
    assert rotated["secret"] != created["secret"]
    assert WebhookSubscription.objects.get(pk=created["id"]).secret == rotated["secret"]
    assert client.delete(url).status_code == 204
    assert_error(client.get(url), 404, "not_found")
    actions = AuditEvent.objects.filter(
        object_type="integrations.webhooksubscription", object_id=str(created["id"])
    ).values_list("action", flat=True)
    assert sorted(actions) == sorted(
        [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.UPDATE, AuditAction.DELETE]
    )
    assert "whsec" not in json.dumps(list(AuditEvent.objects.values("changes", "details")))


def test_subscription_input_is_checked(demo, token_client, settings):
    client = token_client("askim", ["case_handler"])
    settings.SAMVIRKE_WEBHOOKS_ALLOW_LOCAL_HTTP = False
    for url, code in [
        ("http://sak.askim.example/hooks", "https_required"),
        ("http://127.0.0.1:9/hooks", "https_required"),
        ("https://user:pw@sak.askim.example/", "credentials_in_url"),
        ("ftp://sak.askim.example/", "https_required"),
    ]:
        error = assert_error(
            client.post("/api/v1/webhooks/", {"url": url, "events": ALL_EVENTS}, "json"),
            409,
            "conflict",
        )
        assert error["fields"]["url"][0]["code"] == code, url
    error = assert_error(
        client.post(
            "/api/v1/webhooks/", {"url": "https://a.example/", "events": ["case.deleted"]}, "json"
        ),
        400,
        "invalid",
    )
    assert "events" in error["fields"]
    assert_error(
        token_client("askim", ["reader"]).post(
            "/api/v1/webhooks/", {"url": "https://a.example/", "events": ALL_EVENTS}, "json"
        ),
        403,
        "permission_denied",
    )


def test_another_organisations_subscription_is_404(demo, token_client):
    spydeberg = subscribe(token_client("spydeberg", ["case_handler"]), "https://s.example/")
    askim = token_client("askim", ["administrator"])
    for url in (
        f"/api/v1/webhooks/{spydeberg['id']}/",
        f"/api/v1/webhooks/{spydeberg['id']}/deliveries/",
    ):
        assert_error(askim.get(url), 404, "not_found")
    assert_error(
        askim.patch(f"/api/v1/webhooks/{spydeberg['id']}/", {"is_active": False}, "json"),
        404,
        "not_found",
    )
    assert askim.get("/api/v1/webhooks/").json()["count"] == 0


def verify(request: dict, secret: str) -> bool:
    """What docs/api.md tells a receiver to do."""
    headers = {k.lower(): v for k, v in request["headers"].items()}
    return signing.signature_valid(
        secret,
        body=request["body"],
        timestamp=headers["x-samvirke-timestamp"],
        header=headers["x-samvirke-signature"],
    )


def test_a_status_change_is_delivered_signed_to_the_owner_and_the_host(
    demo, token_client, receiver, django_capture_on_commit_callbacks
):
    entitle_systems_to_ppt()
    case = case_with_submission(demo, "skiptvet", "henvisning-ppt", name="Ola")
    host = subscribe(token_client("spydeberg", ["case_handler"]), receiver.url + "/spydeberg")
    owner = subscribe(token_client("skiptvet", ["case_handler"]), receiver.url + "/skiptvet")
    subscribe(token_client("askim", ["case_handler"]), receiver.url + "/askim")
    with django_capture_on_commit_callbacks(execute=True):
        case_status_move(case=case, to_status="in_progress", actor=None)

    assert sorted(r["path"] for r in receiver.requests) == [
        "/hooks/samvirke/skiptvet",
        "/hooks/samvirke/spydeberg",
    ]
    secrets = {
        "/hooks/samvirke/spydeberg": host["secret"],
        "/hooks/samvirke/skiptvet": owner["secret"],
    }
    for request in receiver.requests:
        assert verify(request, secrets[request["path"]])
        assert not verify(request, "whsec_wrong")
        tampered = {**request, "body": request["body"].replace(b"in_progress", b"decided")}
        assert not verify(tampered, secrets[request["path"]])
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert headers["x-samvirke-event"] == "case.status_changed"
        assert headers["content-type"].startswith("application/json")
        body = json.loads(request["body"])
        assert body["event"] == "case.status_changed"
        assert body["old_status"] == "received" and body["new_status"] == "in_progress"
        assert body["case"]["reference"] == case.reference
        assert body["case"]["url"].endswith(f"/api/v1/cases/{case.id}/")
        # ids, statuses and links only: no names, titles, answers or e-mail addresses
        assert "Testesen" not in request["body"].decode()
        assert "example.invalid" not in request["body"].decode()
    event_ids = {json.loads(r["body"])["id"] for r in receiver.requests}
    assert len(event_ids) == 1  # one event, two deliveries
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_replayed_request_is_refused_by_the_timestamp_check():
    body = b'{"event":"case.status_changed"}'
    old = int(time.time()) - 3600
    header = signing.signature("whsec_x", old, body)
    assert not signing.signature_valid("whsec_x", body=body, timestamp=str(old), header=header)
    assert signing.signature_valid(
        "whsec_x", body=body, timestamp=str(old), header=header, now=old + 10
    )


def test_events_are_sent_on_commit_only(
    demo, token_client, receiver, django_capture_on_commit_callbacks
):
    case = case_with_submission(demo, "askim")
    subscribe(token_client("askim", ["case_handler"]), receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                case_status_move(case=case, to_status="in_progress", actor=None)
                raise RuntimeError("the handler's step fails after the status change")
        except RuntimeError:
            pass
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        case_status_move(case=case, to_status="in_progress", actor=None)
    assert len(receiver.requests) == 1


def test_submission_and_message_events(
    demo, token_client, receiver, django_capture_on_commit_callbacks
):
    subscribe(token_client("askim", ["case_handler"]), receiver.url, ["submission.received"])
    subscribe(token_client("askim", ["case_handler"]), receiver.url + "/m", ["case.message_added"])
    case = case_with_submission(demo, "askim")
    with django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(
            lambda: signals.submission_received.send(
                sender=None, submission=case.submission, case=case
            )
        )
        message = CaseMessage.objects.create(
            case=case, direction=MessageDirection.FROM_APPLICANT, body="Hemmelig tekst"
        )
        transaction.on_commit(lambda: signals.case_message_added.send(sender=None, message=message))
    received, added = receiver.requests
    body = json.loads(received["body"])
    assert body["event"] == "submission.received"
    assert body["submission"]["id"] == case.submission.id
    assert body["submission"]["form"] == "melding-til-kommunen"
    assert "answers" not in body["submission"] and "hull i veien" not in received["body"].decode()
    body = json.loads(added["body"])
    assert body["event"] == "case.message_added"
    assert body["message"]["id"] == message.id and body["message"]["direction"] == "in"
    assert "Hemmelig" not in added["body"].decode()


def test_failures_are_retried_with_backoff_then_given_up(
    demo, token_client, receiver, django_capture_on_commit_callbacks
):
    case = case_with_submission(demo, "askim")
    client = token_client("askim", ["case_handler"])
    subscription = subscribe(client, receiver.url)
    receiver.statuses = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        case_status_move(case=case, to_status="in_progress", actor=None)  # the step succeeds
    case.refresh_from_db()
    assert case.status == "in_progress"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert delivery.response_code == 500 and delivery.error == "HTTP 500"

    waits = []
    now = delivery.last_attempt_at
    # not due yet: nothing is sent
    assert webhooks.deliveries_send_due(now=now + datetime.timedelta(seconds=30)) == 0
    while delivery.status == DeliveryStatus.RETRYING:
        waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
        now = delivery.next_attempt_at
        assert webhooks.deliveries_send_due(now=now) == 1
        delivery.refresh_from_db()
    assert waits == list(sending.BACKOFF)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == sending.MAX_ATTEMPTS == len(receiver.requests) == 6
    assert delivery.next_attempt_at is None

    # the delivery log shows it, and a redelivery starts over
    log = client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries/").json()
    assert log["count"] == 1 and log["results"][0]["status"] == "failed"
    assert log["results"][0]["attempts"] == 6
    failed = client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries/?status=failed")
    assert failed.json()["count"] == 1
    detail = client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries/{delivery.id}/").json()
    assert detail["payload"]["case"]["id"] == case.id
    receiver.statuses = []
    again = client.post(
        f"/api/v1/webhooks/{subscription['id']}/deliveries/{delivery.id}/redeliver/"
    ).json()
    assert again["status"] == "succeeded" and again["attempts"] == 1


def test_a_recovering_receiver_gets_the_delivery_on_a_retry(
    demo, token_client, receiver, django_capture_on_commit_callbacks
):
    case = case_with_submission(demo, "askim")
    subscribe(token_client("askim", ["case_handler"]), receiver.url)
    receiver.statuses = [503, 500]
    with django_capture_on_commit_callbacks(execute=True):
        case_status_move(case=case, to_status="in_progress", actor=None)
    for _ in range(2):
        delivery = WebhookDelivery.objects.get()
        webhooks.deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 3
    assert delivery.response_code == 200 and delivery.delivered_at is not None
    # all three attempts carried the same event id and body
    assert len({r["body"] for r in receiver.requests}) == 1


def test_an_unreachable_receiver_never_breaks_the_step(
    demo, token_client, django_capture_on_commit_callbacks
):
    case = case_with_submission(demo, "askim")
    subscribe(token_client("askim", ["case_handler"]), "http://127.0.0.1:9/closed-port")
    with django_capture_on_commit_callbacks(execute=True):
        case_status_move(case=case, to_status="in_progress", actor=None)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.response_code is None and delivery.error
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_an_inactive_subscription_gets_nothing(
    demo, token_client, receiver, django_capture_on_commit_callbacks
):
    case = case_with_submission(demo, "askim")
    client = token_client("askim", ["case_handler"])
    created = subscribe(client, receiver.url)
    client.patch(f"/api/v1/webhooks/{created['id']}/", {"is_active": False}, "json")
    with django_capture_on_commit_callbacks(execute=True):
        case_status_move(case=case, to_status="in_progress", actor=None)
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_a_delivery_is_claimed_once(demo, token_client, receiver):
    case = case_with_submission(demo, "askim")
    subscribe(token_client("askim", ["case_handler"]), receiver.url)
    delivery = WebhookDelivery.objects.create(
        subscription=WebhookSubscription.objects.get(),
        event="case.status_changed",
        payload=webhooks.payload_for("case.status_changed", case=case, occurred_at=timezone.now()),
        next_attempt_at=timezone.now(),
    )
    assert webhooks.delivery_attempt(delivery.id) is not None
    assert webhooks.delivery_attempt(delivery.id) is None  # already delivered
    assert len(receiver.requests) == 1


def test_a_citizens_submission_and_a_handlers_request_reach_the_subscriber(
    demo, token_client, receiver, django_capture_on_commit_callbacks
):
    """The real flows: the citizen submits (submission.received), the handler asks for
    more information (case.message_added and case.status_changed)."""
    subscribe(token_client("askim", ["case_handler"]), receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_receive(draft=filled_message_draft(demo), actor=None)
    [received] = receiver.requests
    body = json.loads(received["body"])
    assert body["event"] == "submission.received"
    assert body["submission"]["id"] == submission.id
    assert body["case"]["id"] == submission.case_id

    handler = demo.user["askim.saksbehandler"]
    with django_capture_on_commit_callbacks(execute=True):
        message_to_applicant(
            submission.case, "Send oss et bilde av stedet.", handler, requests_information=True
        )
    events = sorted(json.loads(r["body"])["event"] for r in receiver.requests[1:])
    assert events == ["case.message_added", "case.status_changed"]
    assert all("bilde" not in r["body"].decode() for r in receiver.requests)


def test_an_access_request_is_received_like_a_submission(
    demo, client, token_client, receiver, django_capture_on_commit_callbacks
):
    """An access request filed from the public journal is a case with no form submission
    behind it: the integrated system hears of it all the same, with `submission` null."""
    if not ServiceOffering.objects.filter(form__slug=MINIMAL_INNSYN["slug"]).exists():
        form_services.form_import(actor=None, document=MINIMAL_INNSYN, publish=True)
        cases_demo.load()
    entry = open_case(demo, citizen("p2"), municipality="skiptvet").journal_entries.get()
    subscribe(token_client("skiptvet", ["case_handler"]), receiver.url, ["submission.received"])
    with django_capture_on_commit_callbacks(execute=True):
        response = access_request_post(
            client, entry, name="Jonas Eksempelberg", email="jonas@example.invalid"
        )
    assert response.status_code == 302
    (request,) = receiver.requests
    body = json.loads(request["body"])
    case = Case.objects.get(title=f"Innsynskrav – {entry.reference}")
    assert body["event"] == "submission.received"
    assert body["case"]["id"] == case.pk and body["submission"] is None
    assert "Jonas" not in request["body"].decode()


def test_webhooks_of_a_confidential_case_go_only_to_entitled_subscribers(demo):
    concern = open_case(demo, form="barnevern-kontakt", title="Bekymringsmelding (test)")

    def subscription(owner):
        return WebhookSubscription.objects.create(
            organisation=demo.org["askim"],
            url="https://sak.askim.example.invalid/hooks",
            events=["case.status_changed"],
            secret="test-secret",
            created_by=owner,
        )

    front_desk = subscription(demo.user["askim.saksbehandler"])
    child_welfare = subscription(demo.user["askim.barnevern"])
    nobody = subscription(None)
    heard = webhooks.subscriptions_for("case.status_changed", concern)
    assert child_welfare in heard
    assert front_desk not in heard and nobody not in heard
    # an ordinary case is heard by all of them, as before
    ordinary = webhooks.subscriptions_for("case.status_changed", new_case(demo))
    assert {front_desk, child_welfare, nobody} <= set(ordinary)
