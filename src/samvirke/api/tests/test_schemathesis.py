"""Property-based fuzzing of every operation in the OpenAPI schema, in-process through
WSGI, as an Askim service account with the coordinator and administrator roles.

Deterministic (derandomised, no example database) and bounded: a few examples per
operation. Each operation must never answer with a server error, and its answers must
match the schema (status codes, content types, bodies)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from samvirke.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def _fuzz(operation, headers: dict, existing: dict | None):
    """A Hypothesis test of one operation; with `existing`, path ids name real objects."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        if existing is not None:
            case.path_parameters = {name: existing[name] for name in case.path_parameters}
        case.call_and_validate(headers=headers, checks=CHECKS)

    return run


def _existing_ids(demo) -> dict[str, int]:
    """Ids of real objects within the token's reach, so that fuzzing reaches past the 404
    of a random id into the services (an Askim-hosted arrangement, its participant and a
    document, an Askim unit, an area, an Askim audit event)."""
    from django.core.files.base import ContentFile

    from samvirke.audit.models import AuditEvent
    from samvirke.organisations import services
    from samvirke.organisations.document_pdf import simple_pdf

    arrangement = demo.arrangement["ledningskartverk"]
    document = services.arrangement_add_document(
        actor=None,
        arrangement=arrangement,
        title="Avtale",
        file=ContentFile(simple_pdf(["Avtale"]), name="avtale.pdf"),
    )
    from samvirke.cases.tests.factories import case_with_submission
    from samvirke.integrations.models import WebhookDelivery, WebhookSubscription

    case = case_with_submission(demo, "askim")
    subscription = WebhookSubscription.objects.create(
        organisation=demo.org["askim"],
        url="https://127.0.0.1:9/hook",
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


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes
    the database connection; on PostgreSQL that would end the test's transaction. Django's
    test client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_survives_fuzzing(demo, token_client, keep_test_connection):
    client = token_client("askim", ["coordinator", "administrator"])
    headers = {"Authorization": f"Token {client.raw_token}"}
    existing = _existing_ids(demo)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

    failures: list[str] = []
    operations = list(_operations(schema))
    assert len(operations) >= 25

    passes = [(operation, False) for operation in operations] + [
        (operation, True) for operation in operations if "{" in operation.path
    ]
    for operation, with_existing_ids in passes:
        run = _fuzz(operation, headers, existing if with_existing_ids else None)
        try:
            run()
        except Exception as exc:  # collect, so one run reports every failing operation
            label = f"{operation.label} ({'existing' if with_existing_ids else 'random'} ids)"
            failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:2000]}")

    assert not failures, "\n\n".join(failures)
