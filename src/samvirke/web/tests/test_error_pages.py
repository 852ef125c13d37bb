"""Error pages: translated, accessible structure, and the 500 page without a database."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import include, path
from django.utils import translation

from samvirke.web import views
from samvirke.web.tests.translations import fake_catalogue


def boom(request):
    raise RuntimeError("something broke")


urlpatterns = [path("boom/", boom), path("", include("samvirke.web.urls"))]


@pytest.mark.django_db
def test_404_page_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "<title>Page not found – Samvirke</title>" in html
    assert html.count("<h1") == 1
    assert '<main id="main"' in html


@pytest.mark.django_db
def test_404_page_is_translated_into_the_active_language(client):
    with fake_catalogue({"Page not found": "Fant ikke siden"}):
        response = client.get("/no-such-page/")

    html = response.content.decode()
    assert '<html lang="nb"' in html
    assert '<h1 class="ds-heading" data-size="lg">Fant ikke siden</h1>' in html


def test_500_page_renders_without_the_database():
    request = RequestFactory().get("/anything/")
    request.request_id = "abc123def456"

    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page must not touch the database")

    with mock.patch.object(connection, "cursor", no_database), translation.override("en"):
        response = views.server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "abc123def456" in html
    assert '<html lang="en"' in html


@override_settings(ROOT_URLCONF=__name__)
def test_an_unhandled_error_gives_the_500_page_through_django(client):
    client.raise_request_exception = False
    client.cookies["django_language"] = "en"
    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_400_page_renders_without_a_request():
    from django.views.defaults import bad_request

    response = bad_request(RequestFactory().get("/"), Exception())
    assert response.status_code == 400
    assert "<h1" in response.content.decode()


@pytest.mark.django_db
def test_403_page_offers_login(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = permission_denied(request, PermissionDenied())

    html = response.content.decode()
    assert response.status_code == 403
    assert "Access denied" in html
    assert "/accounts/staff/login/" in html


@pytest.mark.django_db
@override_settings(CSRF_FAILURE_VIEW="samvirke.web.views.csrf_failure")
def test_csrf_failure_page_explains_what_to_do():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post("/i18n/setlang/", {"language": "en"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html
    assert re.search(r"<code>[0-9a-f]{32}</code>", html)


# --- the handlers in samvirke.urls, in the request's language, never a debug page ------


def test_the_error_handlers_are_ours():
    from samvirke import urls

    assert urls.handler400 == "samvirke.web.views.bad_request"
    assert urls.handler403 == "samvirke.web.views.permission_denied"
    assert urls.handler404 == "samvirke.web.views.page_not_found"
    assert urls.handler500 == "samvirke.web.views.server_error"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, heading",
    [("nb", "Fant ikke siden"), ("nn", "Fann ikkje sida"), ("sv", "Sidan hittades inte")],
)
def test_404_page_in_the_chosen_language_from_the_real_catalogue(client, language, heading):
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}"' in html
    assert f'<h1 class="ds-heading" data-size="lg">{heading}</h1>' in html
    assert '<link rel="stylesheet" href="/static/web/samvirke.css">' in html  # the site's look


@pytest.mark.django_db
def test_the_demo_shows_no_debug_page(client, settings):
    """The demo runs with DEBUG off (samvirke.conf.demo): a mistyped address gets the
    translated page, not Django's list of URL patterns."""
    from samvirke.conf import demo

    assert demo.DEBUG is False
    settings.DEBUG = demo.DEBUG
    html = client.get("/e-services/no/such/thing/here/").content.decode()
    assert "URLconf" not in html
    assert "Fant ikke siden" in html


def test_400_page_is_in_the_active_language():
    request = RequestFactory().get("/")
    with translation.override("nn"):
        response = views.bad_request(request, Exception())

    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="nn"' in html
    assert "Ugyldig førespurnad" in html


@pytest.mark.django_db
def test_403_page_is_in_the_active_language(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("sv"):
        response = views.permission_denied(request, Exception())

    assert response.status_code == 403
    assert '<html lang="sv"' in response.content.decode()


def test_500_page_is_in_the_active_language():
    request = RequestFactory().get("/")
    with translation.override("sv"):
        response = views.server_error(request)

    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert "Something went wrong" not in html
