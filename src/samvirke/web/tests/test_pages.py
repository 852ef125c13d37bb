"""The public pages render for anonymous users, in the right language and format."""

from __future__ import annotations

import re

import pytest

from samvirke.web.tests.translations import fake_catalogue


def lang_of(response) -> str:
    return re.search(r'<html lang="([a-z-]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_home_shows_the_region_and_its_ten_municipalities(client, demo):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Smaalensveven – Indre Østfold" in html
    for name, number in [("Aremark", "0118"), ("Askim", "0124"), ("Hobøl", "0138")]:
        assert name in html
        assert number in html
    assert html.count('<th scope="row">') == 10
    assert 'href="/cooperation/"' in html
    assert 'href="/accounts/login/"' in html or "eid" in html.lower()
    assert "<title>Smaalensveven – Indre Østfold – Samvirke</title>" in html


@pytest.mark.django_db
def test_home_formats_population_in_norwegian_by_default(client, demo):
    html = client.get("/").content.decode()

    assert lang_of(client.get("/")) == "nb"
    assert "14\xa0500" in html  # nb groups thousands with a (no-break) space
    assert "55\xa0900" in html  # the region in all


@pytest.mark.django_db
def test_home_formats_population_in_english(client, demo):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()

    assert "14,500" in html


@pytest.mark.django_db
def test_staff_see_a_link_to_the_back_office(client, demo, login):
    login(client, demo.user["askim.saksbehandler"])

    html = client.get("/").content.decode()

    assert 'href="/admin/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, title",
    [("/accessibility/", "Accessibility statement"), ("/privacy/", "Privacy")],
)
def test_accessibility_and_privacy_pages_render(client, path, title):
    client.cookies["django_language"] = "en"
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{title} – Samvirke</title>" in html
    assert f'href="{path}" aria-current="page"' in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_accessibility_statement_names_standard_tools_and_authority(client):
    html = client.get("/accessibility/").content.decode()

    assert "WCAG" in html and "2.1" in html
    assert "axe-core" in html
    assert "Tilsynet for universell utforming av ikt" in html


@pytest.mark.django_db
def test_privacy_page_covers_identity_number_audit_and_retention(client):
    client.cookies["django_language"] = "en"
    html = client.get("/privacy/").content.decode()

    assert "national identity number" in html
    assert "audit log" in html
    assert "How long we keep it" in html


@pytest.mark.django_db
def test_home_marks_itself_current_in_the_menu(client, demo):
    html = client.get("/").content.decode()

    assert 'href="/" aria-current="page"' in html
    assert 'href="/privacy/" aria-current' not in html


@pytest.mark.django_db
def test_pages_have_landmarks_and_a_skip_link(client, demo):
    html = client.get("/").content.decode()

    assert '<a class="ds-skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


def test_templates_use_translatable_strings_only():
    """A rough guard: text nodes in our page templates sit inside translate tags."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    for name in ["web/accessibility.html", "web/privacy.html", "404.html", "500.html"]:
        source = (templates / name).read_text()
        stripped = re.sub(r"{%\s*blocktranslate.*?endblocktranslate\s*%}", " ", source, flags=re.S)
        stripped = re.sub(r"{%.*?%}|{{.*?}}|<[^>]+>", " ", stripped, flags=re.S)
        words = [w for w in stripped.split() if re.search(r"[A-Za-z]{3,}", w)]
        assert not words, (name, words[:10])


@pytest.mark.django_db
def test_translation_is_active_in_templates(client):
    """The pages go through gettext in the active language (catalogues arrive later; a
    translation added at run time shows the path works)."""
    with fake_catalogue({"How long we keep it": "Hvor lenge vi lagrer det"}):
        html = client.get("/privacy/").content.decode()

    assert "Hvor lenge vi lagrer det</h2>" in html
