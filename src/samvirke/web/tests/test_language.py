"""Language: bokmål by default; the switcher sets the language cookie and returns to the
same page, whose `lang` follows."""

from __future__ import annotations

import re

import pytest
from django.conf import settings


def lang_of(response) -> str:
    return re.search(r'<html lang="([a-z-]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_bokmal_is_the_default(client):
    assert settings.LANGUAGE_CODE == "nb"
    assert lang_of(client.get("/privacy/")) == "nb"


@pytest.mark.django_db
def test_the_browser_language_is_respected_when_nothing_was_chosen(client):
    assert lang_of(client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")) == "sv"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "sv", "nn", "nb"])
def test_switching_language_sets_the_cookie_and_stays_on_the_page(client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/accessibility/"})

    assert response.status_code == 302
    assert response["Location"] == "/accessibility/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert lang_of(client.get("/accessibility/")) == language


@pytest.mark.django_db
def test_the_switcher_form_points_back_to_the_current_page(client):
    html = client.get("/privacy/?x=1").content.decode()

    assert 'action="/i18n/setlang/"' in html
    assert '<input type="hidden" name="next" value="/privacy/?x=1">' in html
    for code in ["nb", "nn", "sv", "en"]:
        assert f'<option value="{code}" lang="{code}"' in html


@pytest.mark.django_db
def test_switching_to_a_foreign_site_is_refused(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"
