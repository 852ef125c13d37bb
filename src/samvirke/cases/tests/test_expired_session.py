"""A form step sent after the login has ended, or with an expired form (CSRF), loses
nothing: the citizen is asked to log in again, and the step comes back with the answers
that were typed, saved into the draft. Someone else's post cannot fill a citizen's form."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from samvirke.accounts.tests.factories import citizen, eid_login
from samvirke.cases.models import Draft
from samvirke.cases.offerings.selectors import offering_url
from samvirke.cases.tests.factories import offering
from samvirke.cases.tests.formdata import step_data

pytestmark = pytest.mark.django_db

FORM = "byggesoknad"  # needs an eID login (substantial)


def first_text_field(step: dict) -> str:
    """The first field the citizen types (not one filled in from the eID login)."""
    return next(f["key"] for f in step["fields"] if f["type"] == "email" and not f.get("prefill"))


def a_step_with_text(demo, client):
    """Starts a draft of the building application; returns the first step's URL and
    answers in which one text field holds something only the citizen typed."""
    service = offering(demo, "askim", FORM)
    definition = service.form.versions.filter(published=True).latest("number").definition
    url = client.post(offering_url(service))["Location"]
    step = definition["steps"][0]
    key = first_text_field(step)
    answers = {**step_data(step), key: "typed.before.expiry@example.invalid"}
    return url, answers, key


def test_a_step_sent_after_the_login_ended_asks_to_log_in_and_keeps_the_answers(demo):
    person = citizen(level="high")
    client = Client()
    eid_login(client, person, "high")
    url, answers, key = a_step_with_text(demo, client)
    # when the session ends (expiry is a new, empty session) and the step is sent
    client.logout()
    response = client.post(url, answers)

    # then the citizen is asked to log in again, told the answers are kept
    assert response.status_code == 401
    html = response.content.decode()
    assert "Logg inn på nytt for å fortsette" in html
    assert "Det du skrev, er tatt vare på" in html
    assert f'href="/accounts/eid/login/?level=substantial&amp;next={quote(url, safe="")}"' in html
    assert not Draft.objects.get(key=url.split("/")[-4]).answers.get(key)

    # and after logging in again, the step shows the answers, saved into the draft
    eid_login(client, person, "high")
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "typed.before.expiry@example.invalid" in html
    assert "Svarene dine er fylt ut igjen" in html
    draft = Draft.objects.get(user=person, offering__form__slug=FORM)
    assert draft.answers[key] == "typed.before.expiry@example.invalid"
    # once: the kept answers are gone from the session
    assert "Svarene dine er fylt ut igjen" not in client.get(url).content.decode()


def test_another_person_logging_in_does_not_get_the_kept_answers(demo):
    client = Client()
    eid_login(client, citizen("p1", level="high"), "high")
    url, answers, _key = a_step_with_text(demo, client)
    client.logout()
    client.post(url, answers)

    eid_login(client, citizen("p2", level="high"), "high")
    response = client.get(url)

    assert response.status_code == 404  # not this person's draft
    assert "typed.before.expiry@example.invalid" not in response.content.decode()


def csrf_client(person) -> Client:
    client = Client(enforce_csrf_checks=True)
    eid_login(client, person, "high")
    return client


def start_with_token(demo, client):
    service = offering(demo, "askim", FORM)
    client.get(offering_url(service))
    token = client.cookies["csrftoken"].value
    url = client.post(offering_url(service), {"csrfmiddlewaretoken": token})["Location"]
    definition = service.form.versions.filter(published=True).latest("number").definition
    step = definition["steps"][0]
    key = first_text_field(step)
    return url, {**step_data(step), key: "typed.before.csrf@example.invalid"}, key


def test_an_expired_form_keeps_the_answers_and_explains(demo):
    person = citizen(level="high")
    client = csrf_client(person)
    url, answers, key = start_with_token(demo, client)
    # when the step is sent with a token that is no longer valid, from this site
    client.cookies["django_language"] = "en"
    response = client.post(
        url, {**answers, "csrfmiddlewaretoken": "x" * 64}, headers={"Sec-Fetch-Site": "same-origin"}
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html
    assert "What you typed is kept" in html
    assert f'href="{url}"' in html
    # then opening the step again fills the answers in
    html = client.get(url).content.decode()
    assert "typed.before.csrf@example.invalid" in html
    assert Draft.objects.get(user=person, offering__form__slug=FORM).answers[key] == (
        "typed.before.csrf@example.invalid"
    )


def test_an_expired_form_page_is_translated(demo):
    client = csrf_client(citizen(level="high"))
    url, answers, _key = start_with_token(demo, client)
    client.cookies["django_language"] = "sv"
    response = client.post(url, answers, headers={"Origin": "http://testserver"})

    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert "Det du skrev finns kvar" in html
    assert "Fortsätt med dina svar" in html


def test_a_cross_site_post_does_not_fill_in_a_citizens_form(demo):
    client = csrf_client(citizen(level="high"))
    url, answers, key = start_with_token(demo, client)
    response = client.post(
        url,
        {**answers, key: "planted@evil.example"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )

    assert response.status_code == 403
    assert "What you typed is kept" not in response.content.decode()
    assert "planted@evil.example" not in client.get(url).content.decode()
