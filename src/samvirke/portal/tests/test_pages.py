"""The portal's pages render on their own host, accessibly structured, with contact data
from the directory, sharing from the region, search, feeds, sitemap and robots.txt."""

from __future__ import annotations

import re

import pytest

from samvirke.portal.models import NewsArticlePage, ServicePage
from samvirke.portal.selectors import regional_home


def html_of(client, path, host="askim.localhost"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path, response.status_code)
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tjenester/",
        "/tjenester/byggesoknad/",
        "/nyheter/",
        "/nyheter/nyhet-1/",
        "/arrangementer/",
        "/arrangementer/arrangement-1/",
        "/kontakt/",
        "/tilgjengelighet/",
        "/sok/?q=barnehage",
    ],
)
def test_municipal_pages_render_with_one_h1_and_the_site_name(client, demo, path):
    html = html_of(client, path)

    assert html.count("<h1") == 1
    assert "Askim kommune" in html
    assert '<html lang="nb"' in html
    assert 'property="og:title"' in html and 'property="og:url"' in html
    assert 'class="ds-alert" data-color="info"' in html  # the demo notice


@pytest.mark.django_db
def test_service_page_shows_the_facts_and_the_responsible_unit(client, demo):
    client.cookies["django_language"] = "en"
    html = html_of(client, "/tjenester/byggesoknad/")

    assert "Plan- og bygningsloven" in html
    assert "12 uker" in html
    assert "Kart og oppmåling" in html
    assert "Legal basis" in html and "Processing time" in html
    # Askim has switched the building application on: the button leads to its e-service
    assert 'href="/e-services/askim/byggesoknad/"' in html
    assert "Apply online: Byggesøknad" in html


@pytest.mark.django_db
def test_no_apply_button_when_the_municipality_has_not_switched_the_e_service_on(client, demo):
    from samvirke.cases.models import ServiceOffering

    ServiceOffering.objects.filter(organisation=demo.org["askim"], form__slug="byggesoknad").update(
        is_active=False
    )
    client.cookies["django_language"] = "en"
    html = html_of(client, "/tjenester/byggesoknad/")
    assert "Apply online" not in html  # no button that leads nowhere


@pytest.mark.django_db
def test_service_page_links_to_its_e_service_when_it_has_one(client, demo):
    from samvirke.portal.models import ServicePage

    page = ServicePage.objects.get(url_path__endswith="/askim/tjenester/byggesoknad/")
    page.eservice_url = "https://example.invalid/byggesoknad/"
    page.save_revision().publish()
    client.cookies["django_language"] = "en"
    html = html_of(client, "/tjenester/byggesoknad/")
    assert 'href="https://example.invalid/byggesoknad/"' in html
    assert "Apply online: Byggesøknad" in html


@pytest.mark.django_db
def test_contact_page_lists_public_units_only(client, demo):
    html = html_of(client, "/kontakt/")

    assert "Servicetorget" in html
    assert "Barneverntjenesten" in html
    assert "Personal og lønn" not in html  # not a public unit
    assert "postmottak@askim.kommune.invalid" in html


@pytest.mark.django_db
def test_shared_article_appears_on_chosen_sites_only(client, demo):
    for host in ("spydeberg.localhost", "skiptvet.localhost", "hobol.localhost"):
        assert "Felles PPT-kontor flytter" in html_of(client, "/nyheter/", host)
    for host in ("askim.localhost", "marker.localhost"):
        assert "Felles PPT-kontor flytter" not in html_of(client, "/nyheter/", host)
        assert "Felles PPT-kontor flytter" not in html_of(client, "/", host)


@pytest.mark.django_db
def test_article_shared_with_all_shows_on_every_municipal_home_marked_from_the_region(client, demo):
    client.cookies["django_language"] = "en"
    for slug in ("askim", "aremark", "hobol"):
        html = html_of(client, "/", f"{slug}.localhost")
        assert "Bredbånd til alle 36 skoler" in html
        assert "From the region" in html


@pytest.mark.django_db
def test_shared_article_opens_on_the_municipal_host_with_a_canonical_regional_link(client, demo):
    article = NewsArticlePage.objects.get(title="Felles PPT-kontor flytter")
    path = f"/from-the-region/{article.pk}/"

    html = html_of(client, path, "spydeberg.localhost")
    assert "Felles PPT-kontor flytter" in html
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    assert canonical == "http://localhost/nyheter/nyhet-2/"
    # not shared with Askim: no such page there
    assert client.get(path, HTTP_HOST="askim.localhost").status_code == 404


@pytest.mark.django_db
def test_regional_article_not_shared_stays_on_the_regional_portal(client, demo):
    article = NewsArticlePage.objects.get(title="Regionalt IKT-råd møtes")

    assert "Regionalt IKT-råd møtes" in html_of(client, "/nyheter/", "localhost")
    assert (
        client.get(f"/from-the-region/{article.pk}/", HTTP_HOST="askim.localhost").status_code
        == 404
    )


@pytest.mark.django_db
def test_site_search_finds_only_its_own_pages(client, demo):
    html = html_of(client, "/sok/?q=barnehageplass")

    assert "Søke barnehageplass" in html
    assert 'href="/tjenester/barnehageopptak/"' in html
    assert "spydeberg.localhost" not in html


@pytest.mark.django_db
def test_regional_search_finds_pages_of_every_municipality(client, demo):
    html = html_of(client, "/sok/?q=barnehageplass", "localhost")

    for slug, name in [
        ("askim", "Askim kommune"),
        ("aremark", "Aremark kommune"),
        ("hobol", "Hobøl kommune"),
        ("spydeberg", "Spydeberg kommune"),
    ]:
        assert f"http://{slug}.localhost/tjenester/barnehageopptak/" in html
        assert name in html


@pytest.mark.django_db
def test_news_feed_per_site(client, demo):
    response = client.get("/feed/", HTTP_HOST="spydeberg.localhost")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "<rss" in body and "Spydeberg kommune" in body
    assert "Felles PPT-kontor flytter" in body  # shared with Spydeberg
    assert "http://spydeberg.localhost/from-the-region/" in body
    assert "Askim)" not in body  # no other municipality's news


@pytest.mark.django_db
def test_sitemap_and_robots_per_host(client, demo):
    sitemap = html_of(client, "/sitemap.xml")
    robots = html_of(client, "/robots.txt")

    assert "http://askim.localhost/tjenester/byggesoknad/" in sitemap
    assert "spydeberg.localhost" not in sitemap
    assert "Sitemap: http://askim.localhost/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


@pytest.mark.django_db
def test_regional_home_keeps_the_member_table_with_links_to_each_site(client, demo):
    html = html_of(client, "/", "localhost")

    assert html.count('<th scope="row">') == 10
    assert 'href="http://askim.localhost/"' in html
    assert regional_home().is_regional


@pytest.mark.django_db
def test_service_responsible_unit_must_be_a_public_unit_of_the_site(demo):
    from django.core.exceptions import ValidationError

    from samvirke.organisations.models import Unit

    service = ServicePage.objects.descendant_of(
        regional_home().get_siblings().get(slug="askim")
    ).first()
    service.responsible_unit = Unit.objects.get(organisation__slug="spydeberg", slug="teknisk")
    with pytest.raises(ValidationError):
        service.full_clean()


@pytest.mark.django_db
def test_regional_contact_page_links_every_municipal_contact_page(client, demo):
    html = html_of(client, "/kontakt/", "localhost")

    assert 'href="http://askim.localhost/kontakt/"' in html
    assert 'href="http://hobol.localhost/kontakt/"' in html


@pytest.mark.django_db
def test_menu_marks_the_section_of_the_current_page(client, demo):
    html = html_of(client, "/tjenester/byggesoknad/")

    assert re.search(r'href="/tjenester/" aria-current="true"', html)


@pytest.mark.django_db
def test_only_regional_articles_can_be_shared(demo):
    from django.core.exceptions import ValidationError

    from samvirke.portal import services

    article = NewsArticlePage.objects.get(title__endswith="(Askim kommune)", slug="nyhet-1")
    article.share_with_all = True
    with pytest.raises(ValidationError):
        article.full_clean()
    with pytest.raises(ValueError):
        services.shared_article_share(article=article, share_with_all=True)


@pytest.mark.django_db
def test_sharing_is_audited(demo):
    from samvirke.audit.models import AuditEvent
    from samvirke.portal import services

    article = NewsArticlePage.objects.get(title="Regionalt IKT-råd møtes")
    services.shared_article_share(article=article, organisations=[demo.org["askim"]])

    event = AuditEvent.objects.filter(object_id=str(article.pk), action="update").latest("pk")
    assert event.changes["shared_to"] == [[], ["askim"]]


@pytest.mark.django_db
def test_regional_theme_page_shared_with_all_shows_on_every_municipal_site(client, demo):
    from samvirke.portal.models import StandardPage

    theme = StandardPage.objects.get(slug="om-samarbeidet", locale__language_code="nb")
    path = f"/from-the-region/{theme.pk}/"
    for slug in ("askim", "romskog"):
        home = html_of(client, "/", f"{slug}.localhost")
        assert f'href="{path}"' in home
        page = html_of(client, path, f"{slug}.localhost")
        assert "Om samarbeidet" in page
        assert '<link rel="canonical" href="http://localhost/om-samarbeidet/">' in page
    # the regional portal shows its own page, not a shared copy
    assert 'href="/from-the-region/' not in html_of(client, "/", "localhost")


@pytest.mark.django_db
def test_atom_feed_per_site_linked_in_the_head(client, demo):
    response = client.get("/feed/atom/", HTTP_HOST="spydeberg.localhost")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert '<feed xml:lang="nb" xmlns="http://www.w3.org/2005/Atom">' in body
    assert "<title>Spydeberg kommune</title>" in body
    assert "Felles PPT-kontor flytter" in body  # shared with Spydeberg
    assert 'href="http://spydeberg.localhost/from-the-region/' in body
    assert "Askim)" not in body
    head = html_of(client, "/", "spydeberg.localhost").split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Spydeberg kommune" '
        'href="/feed/atom/">' in head
    )
    assert 'type="application/rss+xml"' in head


def sitemap_locations(client, host) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", html_of(client, "/sitemap.xml", host))


@pytest.mark.django_db
def test_shared_regional_article_in_municipal_search_and_sitemap_at_the_municipal_address(
    client, demo
):
    from samvirke.portal import services

    article = NewsArticlePage.objects.get(title="Regionalt IKT-råd møtes")
    services.shared_article_share(article=article, organisations=[demo.org["askim"]])
    shared_address = f"http://askim.localhost/from-the-region/{article.pk}/"

    # Askim's search finds it and links it at Askim's own address, marked from the region
    html = html_of(client, "/sok/?q=arbeidsplanen")
    assert f'href="/from-the-region/{article.pk}/"' in html
    assert "http://localhost/nyheter/" not in html
    assert 'data-color="info">From the region' in html or "Fra regionen" in html
    # Askim's sitemap lists it at Askim's address, not at the regional one
    askim = sitemap_locations(client, "askim.localhost")
    assert shared_address in askim
    assert "http://localhost/nyheter/nyhet-3/" not in askim
    # a site it is not shared with neither finds nor lists it
    assert "Regionalt IKT-råd møtes" not in html_of(
        client, "/sok/?q=arbeidsplanen", "spydeberg.localhost"
    )
    assert not any(
        "from-the-region" in loc and str(article.pk) in loc
        for loc in sitemap_locations(client, "spydeberg.localhost")
    )
    # the regional sitemap has it at its own address only
    regional = sitemap_locations(client, "localhost")
    assert "http://localhost/nyheter/nyhet-3/" in regional
    assert not any("askim.localhost" in loc for loc in regional)


@pytest.mark.django_db
def test_article_shared_with_all_is_in_every_municipal_sitemap(client, demo):
    article = NewsArticlePage.objects.get(title="Bredbånd til alle 36 skoler")
    for slug in ("askim", "aremark", "hobol"):
        assert f"http://{slug}.localhost/from-the-region/{article.pk}/" in sitemap_locations(
            client, f"{slug}.localhost"
        )
