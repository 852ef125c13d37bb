"""Rate limits on the citizen's side of the service square: access requests from the
public journal and anonymous e-service submissions answer 429 with Retry-After and a
translated message on the form, which keeps what was typed (samvirke.core.ratelimit)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from samvirke.accounts.tests.factories import citizen, eid_client
from samvirke.cases import demo as cases_demo
from samvirke.cases.models import Case, Draft, ServiceOffering, Submission
from samvirke.cases.offerings.selectors import offering_url
from samvirke.cases.public_journal.services import ACCESS_FORM_SLUG
from samvirke.cases.tests.factories import (
    MESSAGE_STEP_1,
    MESSAGE_STEP_2,
    MINIMAL_INNSYN,
    access_request_post,
    offering,
    open_case,
)
from samvirke.core.tests import ratelimits as ratelimit_clock
from samvirke.eservices import services as form_services
from samvirke.eservices.models import FormDefinition
from samvirke.notifications.models import Notification

pytestmark = pytest.mark.django_db

SENTENCE = "Too many requests came from your address in a short time."


def translated(language: str, message: str = SENTENCE) -> str:
    with translation.override(language):
        text = gettext(message)
    assert language == "en" or text != message, f"no {language} translation of {message!r}"
    return text


@pytest.fixture
def entry(demo):
    if not FormDefinition.objects.filter(slug=ACCESS_FORM_SLUG).exists():
        form_services.form_import(actor=None, document=MINIMAL_INNSYN, publish=True)
        cases_demo.load()
    assert ServiceOffering.objects.filter(form__slug=ACCESS_FORM_SLUG).exists()
    case = open_case(demo, municipality="skiptvet", title="Søknad om skjenkebevilling")
    return case.journal_entries.get()


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    ratelimit_clock.freeze(monkeypatch)


def test_100_access_requests_from_one_client_in_a_minute_are_throttled(
    client, entry, django_capture_on_commit_callbacks, monkeypatch
):
    # 100 requests within one minute, however slowly the test machine runs them
    ratelimit_clock.freeze(monkeypatch, step=0.5)
    before = Case.objects.filter(title__startswith="Innsynskrav").count()
    mails = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            access_request_post(
                client, entry, email=f"a{i}@example.invalid", message=f"Request {i}"
            ).status_code
            for i in range(100)
        ]
    assert statuses[:10] == [302] * 10  # the default: 10 a minute from one address
    assert statuses[10:] == [429] * 90
    assert Case.objects.filter(title__startswith="Innsynskrav").count() == before + 10
    to_requesters = [
        n
        for n in Notification.objects.filter(pk__gt=mails)
        if any("@example.invalid" in str(r) for r in n.recipients)
    ]
    assert len(to_requesters) == 10  # one receipt per filed request, none for the rest


def test_a_throttled_access_request_keeps_the_form_and_says_why_in_the_language(
    client, entry, settings
):
    before = Case.objects.filter(title__startswith="Innsynskrav").count()
    settings.SAMVIRKE_RATE_LIMITS = {**settings.SAMVIRKE_RATE_LIMITS, "access_request": "1/m"}
    assert access_request_post(client, entry, email="first@example.invalid").status_code == 302
    response = client.post(
        reverse("cases_journal:access-request", args=[entry.pk]),
        {
            "name": "Kari Nordmann",
            "email": "kari@example.invalid",
            "message": "Heile saka, takk.",
            "key": "9f1c7a3e-2b0d-4a53-9a0e-3c2a1f5e7d11",
        },
        HTTP_ACCEPT_LANGUAGE="nn",
    )
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert escape(translated("nn")) in html
    assert 'value="Kari Nordmann"' in html and 'value="kari@example.invalid"' in html
    assert "Heile saka, takk." in html
    assert Case.objects.filter(title__startswith="Innsynskrav").count() == before + 1


def _filled_draft_review_url(client: Client, demo) -> str:
    service = offering(demo)
    start_url = offering_url(service)
    step_url = client.post(start_url)["Location"]
    response = client.post(step_url, MESSAGE_STEP_1)
    assert response.status_code == 302, response.content.decode()[:1000]
    response = client.post(response["Location"], MESSAGE_STEP_2)
    review_url = response["Location"]
    assert review_url.endswith("/review/")
    return review_url


def test_anonymous_submissions_are_throttled_and_the_draft_is_kept(demo, settings):
    settings.SAMVIRKE_RATE_LIMITS = {
        **settings.SAMVIRKE_RATE_LIMITS,
        "anonymous_submission": "1/m",
    }
    client = Client()
    first = _filled_draft_review_url(client, demo)
    assert client.post(first).status_code == 302
    second = _filled_draft_review_url(client, demo)
    response = client.post(second, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert escape(translated("sv")) in html
    assert "Hull i veien" in html  # the review page with the answers
    assert Submission.objects.count() == 1
    key = second.rstrip("/").split("/")[-2]
    assert Draft.objects.filter(key=key).exists()  # nothing lost: send it again later


def test_a_logged_in_citizen_is_not_counted_as_anonymous(demo, settings):
    settings.SAMVIRKE_RATE_LIMITS = {
        **settings.SAMVIRKE_RATE_LIMITS,
        "anonymous_submission": "1/m",
    }
    client = eid_client(citizen("p4"))
    for _ in range(2):
        assert client.post(_filled_draft_review_url(client, demo)).status_code == 302
