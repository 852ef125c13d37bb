"""Editors: each municipality's editor group edits its own tree only; pages go through
review before they are published; regional editors edit the regional portal."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from samvirke.portal.models import HomePage, ServicePage


def service_of(slug: str) -> ServicePage:
    home = HomePage.objects.get(organisation__slug=slug, locale__language_code="nb")
    return ServicePage.objects.descendant_of(home).first()


@pytest.mark.django_db
def test_askim_editor_may_edit_askim_pages_but_not_spydeberg(demo):
    editor = demo.user["askim.redaktor"]
    own = service_of("askim")
    other = service_of("spydeberg")

    assert own.permissions_for_user(editor).can_edit()
    assert not other.permissions_for_user(editor).can_edit()
    assert not other.permissions_for_user(editor).can_publish()
    assert (
        not HomePage.objects.get(is_regional=True, locale__language_code="nb")
        .permissions_for_user(editor)
        .can_edit()
    )


@pytest.mark.django_db
def test_editors_submit_for_review_and_reviewers_publish(demo):
    editor = demo.user["askim.redaktor"]
    reviewer = demo.user["region.godkjenner"]
    page = service_of("askim")

    assert not page.permissions_for_user(editor).can_publish()
    assert page.get_workflow() is not None  # draft → review → published
    assert page.permissions_for_user(reviewer).can_publish()
    assert service_of("spydeberg").permissions_for_user(reviewer).can_publish()


@pytest.mark.django_db
def test_regional_editor_edits_the_regional_portal_only(demo):
    editor = demo.user["region.redaktor"]
    regional = HomePage.objects.get(is_regional=True, locale__language_code="nb")

    assert regional.permissions_for_user(editor).can_edit()
    assert not service_of("askim").permissions_for_user(editor).can_edit()


@pytest.mark.django_db
def test_admin_edit_screens_follow_the_page_permissions(client, demo, login):
    login(client, demo.user["askim.redaktor"])
    own = service_of("askim")
    other = service_of("spydeberg")

    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    response = client.get(f"/admin/pages/{other.pk}/edit/")
    assert response.status_code in (302, 403)
    response = client.post(
        f"/admin/pages/{other.pk}/edit/", {"title": "Hacked", "action-publish": "1"}
    )
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.title != "Hacked"
    assert Page.objects.get(pk=other.pk).live
