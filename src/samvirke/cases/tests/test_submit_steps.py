"""The steps a citizen is told about: the start page lists every step, the review page
("check your answers and send") last, and each page's "Step n of m" counts the same
steps, so a form with five steps of questions is "of 6" everywhere."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from samvirke.accounts.tests.factories import citizen, eid_client
from samvirke.cases.offerings.selectors import offering_url
from samvirke.cases.tests.factories import offering
from samvirke.cases.tests.formdata import step_data, step_files

pytestmark = pytest.mark.django_db

STEP_OF = re.compile(r"(?:Steg|Step) (\d+) (?:av|of) (\d+)")


def listed_steps(html: str) -> list[str]:
    """The steps on the start page, as listed under "Steps"."""
    listing = re.search(r"<dd><ol>(.*?)</ol></dd>", html, re.S).group(1)
    return re.findall(r"<li>(.*?)</li>", listing)


def step_of(html: str) -> tuple[int, int]:
    found = STEP_OF.findall(html)
    assert len(found) == 1, found
    return int(found[0][0]), int(found[0][1])


def second_heading(html: str) -> str:
    return re.search(r"<h2[^>]*>(.*?)</h2>", html, re.S).group(1).strip()


@pytest.mark.parametrize(
    "form, login",
    [("byggesoknad", True), ("melding-til-kommunen", False)],
)
def test_the_start_page_and_every_step_count_the_same_steps(demo, form, login):
    service = offering(demo, "askim", form)
    definition = service.form.versions.filter(published=True).latest("number").definition
    client = eid_client(citizen(level="high"), level="high") if login else Client()
    start_url = offering_url(service)
    # given the start page's list of steps
    listed = listed_steps(client.get(start_url).content.decode())
    assert len(listed) == len(definition["steps"]) + 1
    assert re.fullmatch(r"Kontroller svarene og send|Check your answers and send", listed[-1])
    # when the citizen goes through the form
    url = client.post(start_url)["Location"]
    for index, step in enumerate(definition["steps"]):
        html = client.get(url).content.decode()
        # then each step is "Step n of" as many steps as the start page listed, named alike
        assert step_of(html) == (index + 1, len(listed))
        assert second_heading(html) == listed[index]
        files = {k: v[0] for k, v in step_files(step).items()}
        response = client.post(url, {**step_data(step), "_step": str(index), **files})
        assert response.status_code == 302, response.content.decode()[:3000]
        url = response["Location"]
    # and the review page is the last of them, with the name the start page gave it
    assert url.endswith("/review/")
    html = client.get(url).content.decode()
    assert step_of(html) == (len(listed), len(listed))
    assert second_heading(html) == listed[-1]
    assert re.search(rf"<title>{re.escape(listed[-1])} – ", html)
    # the form's steps are sections of the review step, one heading level down
    assert html.count("<h2") == 1
    # before sending, the citizen sees where the name may appear (the public journal)
    assert 'data-testid="journal-notice"' in html
    assert html.count('<h3 class="ds-heading" data-size="sm" id="review-step-') == len(
        definition["steps"]
    )
