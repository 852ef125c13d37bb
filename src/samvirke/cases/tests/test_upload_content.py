"""Uploads checked by content, through the pages citizens use: an e-service's file
question and a reply in My cases refuse a faked picture, a decompression bomb and a PDF
that runs JavaScript with a specific, translated message, and keep everything else that
was typed. The files are made by the tests (samvirke.core.tests.files)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from samvirke.accounts.tests.factories import citizen, eid_login
from samvirke.cases.models import Document
from samvirke.cases.offerings.selectors import offering_url
from samvirke.cases.tests.factories import MESSAGE_STEP_1, offering, open_case
from samvirke.core.tests import files

pytestmark = pytest.mark.django_db


def _step(client: Client, demo) -> str:
    return client.post(offering_url(offering(demo)))["Location"]


@pytest.mark.parametrize(
    ("make", "language", "expected"),
    [
        (files.png_header_then_html, "en", "“hull.png” could not be read as a picture"),
        (files.png_then_html, "nn", "«hull.png» kunne ikkje lesast som eit bilete"),
        (files.decompression_bomb, "sv", "”hull.png” är en bild med för många pixlar"),
    ],
    ids=["png-header-then-html", "png-then-html", "16000x16000-bomb"],
)
def test_a_faked_or_huge_picture_is_refused_and_the_other_answers_stay(
    demo, make, language, expected
):
    client = Client()
    step_url = _step(client, demo)
    response = client.post(
        step_url,
        {**MESSAGE_STEP_1, "photo": SimpleUploadedFile("hull.png", make(), "image/png")},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#field-photo"' in html and escape(expected) in html
    assert 'value="Hull i veien"' in html and "Det er et stort hull" in html
    assert not Document.objects.filter(name="hull.png").exists()


def test_a_photo_named_as_something_else_is_refused_saying_what_it_is(demo):
    client = Client()
    response = client.post(
        _step(client, demo),
        {**MESSAGE_STEP_1, "photo": SimpleUploadedFile("hull.jpg", files.png(), "image/jpeg")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert escape("“hull.jpg” is not what its name or type says: its content is PNG") in (
        response.content.decode()
    )


def test_a_real_photo_passes(demo):
    client = Client()
    response = client.post(
        _step(client, demo),
        {**MESSAGE_STEP_1, "photo": SimpleUploadedFile("hull.jpg", files.jpeg(), "image/jpeg")},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert Document.objects.filter(name="hull.jpg", content_type="image/jpeg").exists()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (files.pdf_open_action_javascript, "“svar.pdf” contains JavaScript"),
        (files.pdf_launch_action, "“svar.pdf” contains JavaScript or an action that starts"),
        (files.pdf_embedded_file, "“svar.pdf” has other files embedded in it"),
        (files.pdf_broken, "“svar.pdf” could not be read as a PDF"),
    ],
    ids=["openaction-js", "launch", "embedded-file", "unparseable"],
)
def test_a_reply_with_a_dangerous_pdf_is_refused_and_the_message_kept(client, demo, make, expected):
    ingrid = citizen()
    case = open_case(demo, ingrid)
    eid_login(client, ingrid)
    upload = io.BytesIO(make())
    upload.name = "svar.pdf"
    response = client.post(
        reverse("cases_mine:case", args=[case.pk]),
        {"body": "Her er svaret mitt.", "attachments": [upload]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(expected) in html
    assert "Her er svaret mitt." in html  # the typed message stays
    assert not case.messages.exists()
