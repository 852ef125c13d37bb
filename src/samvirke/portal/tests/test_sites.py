"""Sites and host routing: the region on the portal domain, each member municipality on
its own host name, and a site made when a member municipality is added."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Site, WorkflowPage

from samvirke.audit.models import AuditEvent
from samvirke.organisations import services as organisation_services
from samvirke.organisations.models import OrganisationKind
from samvirke.portal import services
from samvirke.portal.models import ContactPage, HomePage, SearchPage, ServicePage


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.django_db
def test_municipal_host_gets_the_municipality_and_plain_localhost_the_region(client, demo):
    askim = client.get("/", HTTP_HOST="askim.localhost")
    askim_with_port = client.get("/", HTTP_HOST="askim.localhost:8000")
    region = client.get("/", HTTP_HOST="localhost")

    assert askim.status_code == askim_with_port.status_code == region.status_code == 200
    assert h1(askim) == h1(askim_with_port) == "Askim kommune"
    assert h1(region) == "Smaalensveven – Indre Østfold"
    assert h1(client.get("/", HTTP_HOST="spydeberg.localhost")) == "Spydeberg kommune"


@pytest.mark.django_db
def test_each_member_municipality_has_one_site_with_its_own_tree(demo):
    sites = {s.hostname: s for s in Site.objects.select_related("root_page")}

    assert sites["localhost"].is_default_site
    assert sites["localhost"].root_page.specific.is_regional
    for municipality in demo.org.values():
        if municipality.kind == OrganisationKind.MUNICIPALITY and municipality.is_member:
            site = sites[f"{municipality.slug}.localhost"]
            home = site.root_page.specific
            assert home.organisation == municipality
            # at least six services from the regional list, each site its own pages
            assert ServicePage.objects.descendant_of(home).count() >= 6


@pytest.mark.django_db
def test_adding_a_member_municipality_creates_its_site(demo):
    region = demo.org["askim"].region

    testby = organisation_services.organisation_create(
        region=region,
        kind=OrganisationKind.MUNICIPALITY,
        name="Testby kommune",
        number="0199",
        is_member=True,
        slug="testby",
    )

    site = Site.objects.get(hostname="testby.localhost")
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.organisation == testby
    assert ContactPage.objects.child_of(home).exists()
    assert SearchPage.objects.child_of(home).exists()
    group = Group.objects.get(name="Testby kommune – redaktører")
    assert GroupPagePermission.objects.filter(group=group, page=home).exists()
    assert WorkflowPage.objects.filter(page=home).exists()
    assert AuditEvent.objects.filter(
        object_type__icontains="site", object_id=str(site.pk), action="create"
    ).exists()

    # idempotent: asking again changes nothing
    assert services.portal_site_ensure(organisation=testby) == home
    assert Site.objects.filter(hostname="testby.localhost").count() == 1
    assert HomePage.objects.filter(organisation=testby).count() == 1


@pytest.mark.django_db
def test_partners_and_non_members_get_no_site(demo):
    region = demo.org["askim"].region
    before = Site.objects.count()

    organisation_services.organisation_create(
        region=region, kind=OrganisationKind.VENDOR, name="Leverandør AS (demo)"
    )
    organisation_services.organisation_create(
        region=region,
        kind=OrganisationKind.MUNICIPALITY,
        name="Naboby kommune",
        number="0198",
        is_member=False,
    )

    assert Site.objects.count() == before


@pytest.mark.django_db
def test_host_names_follow_the_portal_domain_setting(demo, settings):
    settings.SAMVIRKE_PORTAL_DOMAIN = "portal.example.invalid"

    assert services.portal_hostname(organisation=demo.org["askim"]) == (
        "askim.portal.example.invalid"
    )
    assert services.portal_hostname() == "portal.example.invalid"


@pytest.mark.django_db
def test_web_home_name_still_reverses_to_the_front_page():
    from django.urls import reverse

    assert reverse("web:home") == "/"


@pytest.mark.django_db
def test_municipality_made_a_member_later_gets_its_site(demo):
    region = demo.org["askim"].region
    coordinator = demo.user["region.koordinator"]
    naboby = organisation_services.organisation_create(
        region=region,
        kind=OrganisationKind.MUNICIPALITY,
        name="Naboby kommune",
        number="0198",
        is_member=False,
        slug="naboby",
    )
    assert not Site.objects.filter(hostname="naboby.localhost").exists()

    organisation_services.organisation_update(
        actor=coordinator, organisation=naboby, is_member=True
    )

    site = Site.objects.get(hostname="naboby.localhost")
    assert site.root_page.specific.organisation == naboby
    assert Group.objects.filter(name="Naboby kommune – redaktører").exists()
    assert AuditEvent.objects.filter(
        object_type="wagtailcore.site",
        object_id=str(site.pk),
        action="create",
        actor=coordinator,
    ).exists()


@pytest.mark.django_db
def test_renamed_municipality_site_follows_name_and_slug(demo):
    from django.contrib.auth.models import Group

    askim = demo.org["askim"]
    coordinator = demo.user["region.koordinator"]
    site = Site.objects.get(hostname="askim.localhost")
    editor = demo.user["askim.redaktor"]

    organisation_services.organisation_update(
        actor=coordinator, organisation=askim, name="Askim bykommune"
    )

    site.refresh_from_db()
    assert site.site_name == "Askim bykommune"
    assert site.hostname == "askim.localhost"
    # the editor group is renamed, not replaced: Askim's editor keeps the site
    assert editor.groups.filter(name="Askim bykommune – redaktører").exists()
    assert not Group.objects.filter(name="Askim kommune – redaktører").exists()
    event = AuditEvent.objects.filter(
        object_type="wagtailcore.site", object_id=str(site.pk), action="update"
    ).latest("pk")
    assert event.changes["site_name"] == ["Askim kommune", "Askim bykommune"]
    assert event.actor == coordinator

    # a new slug (set in the register) moves the site to the new host name
    askim.slug = "askim-by"
    askim.save()
    services.portal_site_ensure(organisation=askim, actor=coordinator)
    site.refresh_from_db()
    assert site.hostname == "askim-by.localhost"
    assert "Askim bykommune" in _h1_of_host("askim-by.localhost")

    # idempotent: nothing more to change, no further event
    before = AuditEvent.objects.count()
    services.portal_site_ensure(organisation=askim, actor=coordinator)
    assert AuditEvent.objects.count() == before


def _h1_of_host(host: str) -> str:
    from django.test import Client

    response = Client().get("/", HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()
