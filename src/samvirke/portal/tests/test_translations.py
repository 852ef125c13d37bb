"""Page translations: bokmål pages keep their unprefixed addresses, translations live
under /nn/, /sv/ and /en/; the language switcher keeps the visitor on the same page;
hreflang alternates; the interface language follows the visitor's choice on bokmål
pages; editors translate within their own tree only."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from wagtail.models import Locale, Page

from samvirke.portal.models import HomePage, NewsArticlePage, ServicePage


def askim_home(language: str = "nb") -> HomePage:
    return HomePage.objects.get(organisation__slug="askim", locale__language_code=language)


def html_of(client, path, host="askim.localhost"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path, response.status_code)
    return response.content.decode()


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def switch_language(client, html: str, language: str, host="askim.localhost"):
    """Submits the page's language switcher form as a browser would."""
    form = re.search(r'<form class="language-switcher" action="([^"]+)".*?</form>', html, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
    fields["language"] = language
    return client.post(form.group(1), fields, HTTP_HOST=host)


@pytest.mark.django_db
def test_settings_switch_wagtail_i18n_on_with_four_content_languages(demo):
    assert settings.WAGTAIL_I18N_ENABLED
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert {"nb", "nn", "sv", "en"} <= codes
    assert Locale.get_default().language_code == "nb"


@pytest.mark.django_db
def test_bokmal_pages_keep_their_addresses_and_translations_are_prefixed(client, demo):
    assert h1(html_of(client, "/")) == "Askim kommune"
    assert h1(html_of(client, "/en/")) == "Askim Municipality"
    assert h1(html_of(client, "/nn/")) == "Askim kommune"
    assert "Velkommen til Askim kommune. Her finn du tenester" in html_of(client, "/nn/")
    assert h1(html_of(client, "/en/tjenester/byggesoknad/")) == "Building application"
    assert h1(html_of(client, "/tjenester/byggesoknad/")) == "Byggesøknad"
    assert h1(html_of(client, "/en/", "localhost")) == "Smaalensveven – Indre Østfold"
    # no Swedish translation of Askim's home page, no English one of the news list: the
    # bokmål page at its own address, not the same content at a second address
    for path, bokmal in [("/sv/", "/"), ("/en/nyheter/?page=1", "/nyheter/?page=1")]:
        response = client.get(path, HTTP_HOST="askim.localhost")
        assert (response.status_code, response["Location"]) == (302, bokmal)
    assert client.get("/en/finnes-ikke/", HTTP_HOST="askim.localhost").status_code == 404
    # and /nb/ is not an address: bokmål is unprefixed
    assert client.get("/nb/", HTTP_HOST="askim.localhost").status_code == 404


@pytest.mark.django_db
def test_translated_page_is_in_its_language_and_untranslated_items_are_marked(client, demo):
    html = html_of(client, "/en/")

    assert '<html lang="en"' in html
    assert "Key services" in html  # the interface follows the address's language
    assert 'href="/en/tjenester/byggesoknad/">Building application' in html
    # a service without an English translation is listed in bokmål, marked as such
    assert re.search(
        r'<li class="ds-card" lang="nb">\s*<h3[^>]*><a class="ds-link" '
        r'href="/tjenester/innsyn/">Be om innsyn',
        html,
    )
    # the menu links the English section where there is one, else the bokmål one
    assert '<a href="/en/tjenester/">Services</a>' in html
    assert '<a lang="nb" href="/nyheter/">Nyheter</a>' in html


@pytest.mark.django_db
def test_bokmal_page_with_the_interface_in_the_visitors_language(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = html_of(client, "/tjenester/innsyn/")

    assert '<html lang="sv"' in html
    assert h1(html) == "Be om innsyn"
    # the content is marked as bokmål inside a Swedish page, the labels are not
    assert '<h1 lang="nb" class="ds-heading"' in html
    assert '<p class="lead" lang="nb">Be om innsyn' in html
    assert re.search(r"<h2[^>]*>Vem tjänsten är till för</h2>", html)
    # and the non-portal pages still follow the cookie as before
    assert '<html lang="sv"' in html_of(client, "/cooperation/", "localhost")


@pytest.mark.django_db
def test_hreflang_alternates_name_every_published_translation(client, demo):
    html = html_of(client, "/tjenester/byggesoknad/")

    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html)
    )
    assert alternates == {
        "nb": "http://askim.localhost/tjenester/byggesoknad/",
        "en": "http://askim.localhost/en/tjenester/byggesoknad/",
        "x-default": "http://askim.localhost/tjenester/byggesoknad/",
    }
    # a page with no translation has none
    assert "hreflang" not in html_of(client, "/tjenester/innsyn/")


@pytest.mark.django_db
def test_language_switcher_goes_to_the_translation_of_the_same_page(client, demo):
    html = html_of(client, "/tjenester/byggesoknad/")

    response = switch_language(client, html, "en")

    assert response.status_code == 302
    assert response["Location"] == "/en/tjenester/byggesoknad/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # and back again
    back = switch_language(client, html_of(client, "/en/tjenester/byggesoknad/"), "nb")
    assert back["Location"] == "/tjenester/byggesoknad/"


@pytest.mark.django_db
def test_switching_to_a_language_without_translation_stays_on_the_bokmal_page(client, demo):
    # Swedish: no translation of the building application, so the bokmål page with a
    # Swedish interface; from the English page, too
    for path in ("/tjenester/byggesoknad/", "/en/tjenester/byggesoknad/"):
        response = switch_language(client, html_of(client, path), "sv")
        assert response["Location"] == "/tjenester/byggesoknad/"
    html = html_of(client, "/tjenester/byggesoknad/")
    assert '<html lang="sv"' in html and h1(html) == "Byggesøknad"


@pytest.mark.django_db
def test_language_switcher_keeps_the_shared_article_and_the_search(client, demo):
    article = NewsArticlePage.objects.get(title="Bredbånd til alle 36 skoler")
    path = f"/from-the-region/{article.pk}/"

    response = switch_language(client, html_of(client, path), "en")
    assert response["Location"] == f"/en/from-the-region/{article.pk}/"
    english = html_of(client, response["Location"])
    assert h1(english) == "Broadband to all 36 schools"
    assert "Askim Municipality" not in h1(english)

    response = switch_language(client, html_of(client, "/sok/?q=barnehage"), "nn")
    assert response["Location"] == "/sok/?q=barnehage"


@pytest.mark.django_db
def test_language_switcher_refuses_unknown_languages_and_foreign_targets(client, demo):
    home = askim_home()
    assert (
        client.post(
            "/i18n/page/", {"language": "xx", "page": home.pk}, HTTP_HOST="askim.localhost"
        ).status_code
        == 400
    )
    response = client.post(
        "/i18n/page/",
        {"language": "en", "page": home.pk, "rest": "//evil.example/"},
        HTTP_HOST="askim.localhost",
    )
    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_translated_regional_article_shows_on_the_english_municipal_home(client, demo):
    html = (
        html_of(client, "/en/", "hobol.localhost")
        if HomePage.objects.filter(organisation__slug="hobol", locale__language_code="en").exists()
        else None
    )
    assert html is None  # Hobøl has no English home page in the demo
    askim = html_of(client, "/en/")
    assert "Broadband to all 36 schools" in askim
    assert "/en/from-the-region/" in askim


@pytest.mark.django_db
def test_translated_home_pages_have_the_sites_permissions_and_review(demo):
    editor = demo.user["askim.redaktor"]
    english_askim = askim_home("en")
    english_service = ServicePage.objects.get(locale__language_code="en", slug="byggesoknad")

    assert english_service.permissions_for_user(editor).can_edit()
    assert not english_service.permissions_for_user(editor).can_publish()
    assert english_service.get_workflow() is not None
    assert english_askim.get_workflow() is not None
    # the regional portal's English home is not Askim's editor's
    regional_english = HomePage.objects.get(is_regional=True, locale__language_code="en")
    assert not regional_english.permissions_for_user(editor).can_edit()
    assert regional_english.permissions_for_user(demo.user["region.redaktor"]).can_edit()


@pytest.mark.django_db
def test_editor_translates_own_pages_only_and_the_translation_stays_in_the_tree(
    client, demo, login
):
    from wagtail.models import PageLogEntry

    from samvirke.audit.models import AuditEvent

    editor = demo.user["askim.redaktor"]
    login(client, editor)
    own = ServicePage.objects.get(url_path__endswith="/askim/tjenester/byggesoknad/")
    other = HomePage.objects.get(organisation__slug="spydeberg", locale__language_code="nb")
    nynorsk = Locale.objects.get(language_code="nn")

    # Askim's editor may not translate Spydeberg's site
    response = client.post(f"/admin/translation/submit/page/{other.pk}/", {"locales": [nynorsk.pk]})
    assert response.status_code in (302, 403)
    assert not other.has_translation(nynorsk)

    # but translates Askim's tjenester section to nynorsk (its parent, the home page,
    # already has a nynorsk translation) and gets it to edit
    section = own.get_parent().specific
    response = client.post(
        f"/admin/translation/submit/page/{section.pk}/", {"locales": [nynorsk.pk]}
    )
    assert response.status_code == 302
    translated = section.get_translation(nynorsk)
    assert translated.is_descendant_of(askim_home("nn"))
    assert not translated.live  # a draft, published after review
    assert translated.permissions_for_user(editor).can_edit()
    assert client.get(f"/admin/pages/{translated.pk}/edit/").status_code == 200
    assert AuditEvent.objects.filter(
        object_type="wagtailcore.page", object_id=str(translated.pk), details__event="translate"
    ).exists()
    assert PageLogEntry.objects.filter(page=translated).exists()  # Wagtail's own history too

    # Spydeberg's nynorsk pages (once someone translates them) are not Askim's editor's
    spydeberg_nn = other.copy_for_translation(nynorsk)
    assert not spydeberg_nn.permissions_for_user(editor).can_edit()


@pytest.mark.django_db
def test_sitemap_lists_every_language(client, demo):
    sitemap = html_of(client, "/sitemap.xml")

    assert "<loc>http://askim.localhost/en/tjenester/byggesoknad/</loc>" in sitemap
    assert "<loc>http://askim.localhost/tjenester/byggesoknad/</loc>" in sitemap
    assert "<loc>http://askim.localhost/nn/</loc>" in sitemap


@pytest.mark.django_db
def test_search_on_a_translated_page_finds_translations_too(client, demo):
    html = html_of(client, "/sok/?q=building")

    assert 'href="/en/tjenester/byggesoknad/"' in html
    assert "spydeberg.localhost" not in html


@pytest.mark.django_db
def test_every_home_page_translation_belongs_to_its_site(demo):
    for home in HomePage.objects.exclude(locale=Locale.get_default()):
        original = home.get_translation(Locale.get_default())
        assert home.organisation_id == original.organisation_id
        assert home.get_site() == original.get_site()
    assert Page.objects.filter(depth=2, locale__language_code="en").count() >= 2
