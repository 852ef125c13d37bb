"""The API held to its schema: schemathesis, with every check and every phase (examples,
coverage, fuzzing and the stateful phase that follows links between operations), runs
against the live server (the test's own Django in a thread) as an Askim service account with the
coordinator, administrator and case handler roles, in a demo region with cases,
arrangements, documents and webhooks, and must report no failure at all.

It runs the same engine as `schemathesis run --checks all`, derandomised (a fixed seed)
and bounded (a few examples per operation, a time limit) so that CI stays quick. To
explore further by hand against a running demo:

    schemathesis run http://localhost:8000/api/schema/?format=json --checks all \\
        -H "Authorization: Token <token>" --max-examples 100
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.core.files.base import ContentFile
from schemathesis.engine import Status, from_schema
from schemathesis.engine import events as engine_events

from samvirke.audit.models import AuditEvent
from samvirke.cases.tests.factories import case_with_submission
from samvirke.integrations.models import WebhookDelivery, WebhookSubscription
from samvirke.organisations import services
from samvirke.organisations.document_pdf import simple_pdf

# The engine sends real HTTP requests to the live server, which runs in its own thread
# with its own database connection: the data must be committed to be seen there (the
# root conftest restores the database after a transactional test).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXAMPLES_PER_OPERATION = 4
SEED = 20261203
MAX_SECONDS = int(os.environ.get("SAMVIRKE_SCHEMATHESIS_MAX_SECONDS", "240"))  # a safety net


def _objects_in_reach(demo) -> dict[str, int]:
    """Real objects within the token's reach, for the lists to show and for the stateful
    phase to follow by links into the services. (They are not pinned as path parameters:
    schemathesis would then count its own negative path values as accepted.)"""
    arrangement = demo.arrangement["ledningskartverk"]
    document = services.arrangement_add_document(
        actor=None,
        arrangement=arrangement,
        title="Avtale",
        file=ContentFile(simple_pdf(["Avtale"]), name="avtale.pdf"),
    )
    case = case_with_submission(demo, "askim")
    subscription = WebhookSubscription.objects.create(
        organisation=demo.org["askim"],
        url="https://sak.askim.example/hooks",
        events=["case.status_changed"],
        secret="whsec_test",
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="case.status_changed", payload={}, status="failed"
    )
    return {
        "case_id": case.id,
        "case_document_id": case.documents.first().id,
        "submission_id": case.submission.id,
        "subscription_id": subscription.id,
        "delivery_id": delivery.id,
        "arrangement_id": arrangement.id,
        "participant_id": arrangement.participations.order_by("id").first().id,
        "document_id": document.id,
        "unit_id": demo.org["askim"].units.order_by("id").first().id,
        "area_id": arrangement.area_id,
        "organisation_id": demo.org["askim"].id,
        "event_id": AuditEvent.objects.filter(acting_for=demo.org["askim"]).first().id,
    }


def _failures(event: engine_events.ScenarioFinished) -> list[str]:
    found = []
    for case_id, checks in event.recorder.checks.items():
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info is not None:
                case = event.recorder.cases.get(case_id)
                request = ""
                if case is not None:
                    request = f"{case.value.method} {case.value.formatted_path}"
                failure = check.failure_info.failure
                interaction = event.recorder.interactions.get(case_id)
                answer = ""
                if interaction is not None and interaction.response is not None:
                    response = interaction.response
                    answer = f"{response.status_code}: {response.content[:800]!r}"
                    sent = interaction.request.body
                    answer += f"\nsent: {sent[:600]!r}" if sent else ""
                found.append(
                    f"[{event.phase.name}] {event.label}: {check.name}: {failure.title} "
                    f"({request})\n{str(failure.message)[:800]}\n{answer[:1500]}"
                )
    return found


def test_the_api_conforms_to_its_schema(demo, token_client, live_server, client):
    client = token_client("askim", ["coordinator", "administrator", "case_handler"])
    _objects_in_reach(demo)
    config = schemathesis.Config.from_dict(
        {
            "base-url": live_server.url,
            "request-timeout": 60,
            "seed": SEED,
            "workers": 1,
            "max-time": MAX_SECONDS,
            "headers": {"Authorization": f"Token {client.raw_token}"},
            "checks": {"enabled": True},
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "database": "none"},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": 4},
            },
        }
    )
    document = client.get("/api/schema/?format=json").json()
    schema = schemathesis.openapi.from_dict(document, config=config)
    assert len(list(schema.get_all_operations())) >= 40

    failures: list[str] = []
    errors: list[str] = []
    phases_run: set[str] = set()
    statuses: Counter[int] = Counter()
    for event in from_schema(schema).execute():
        if isinstance(event, engine_events.ScenarioFinished):
            phases_run.add(event.phase.name)
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    statuses[interaction.response.status_code] += 1
            if event.status == Status.FAILURE:
                failures.extend(_failures(event) or [f"{event.label}: failed"])
        elif isinstance(event, engine_events.NonFatalError):
            errors.append(f"{event.label}: {event.info.title}: {event.info}"[:3000])
        elif isinstance(event, engine_events.FatalError):
            errors.append(f"{type(event.exception).__name__}: {event.exception}"[:3000])
        elif isinstance(event, engine_events.EngineFinished):
            break

    assert not errors, "\n\n".join(errors)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
    assert {"COVERAGE", "FUZZING", "STATEFUL_TESTING"} <= phases_run, phases_run
    # the run reached the services: it read, created and was refused for its own reasons
    assert statuses[200] > 100 and statuses[201] > 0, statuses
    assert statuses[400] > 0 and statuses[409] > 0, statuses
