"""Page edits in Wagtail's admin leave events in our audit log: create, edit, submit for
review, approve and reject, publish, unpublish, move, delete and translate, each with
the actor and the municipality whose site it is."""

from __future__ import annotations

import pytest
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from samvirke.audit.models import AuditEvent
from samvirke.portal.models import HomePage, StandardPage


def askim_home() -> HomePage:
    return HomePage.objects.get(organisation__slug="askim", locale__language_code="nb")


def page_events(page_id: int) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.details.get("event"), e.actor_label)
        for e in AuditEvent.objects.filter(
            object_type="wagtailcore.page", object_id=str(page_id)
        ).order_by("pk")
    ]


def form(title: str, slug: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": "Demo: oppdiktet testside.",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


@pytest.mark.django_db
def test_editor_and_reviewer_page_edits_are_audited(client, demo, login):
    editor = demo.user["askim.redaktor"]
    reviewer = demo.user["region.godkjenner"]
    askim = demo.org["askim"]
    home = askim_home()

    # the editor creates a page as a draft, then edits it and submits it for review
    login(client, editor)
    response = client.post(
        f"/admin/pages/add/portal/standardpage/{home.pk}/",
        form("Ny side om parkering", "parkering"),
    )
    assert response.status_code == 302, response.context["form"].errors
    page = StandardPage.objects.get(slug="parkering")
    assert not page.live
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        form("Parkering i sentrum", "parkering", **{"action-submit": "1"}),
    )
    assert response.status_code == 302, response.context["form"].errors

    events = page_events(page.pk)
    assert ("create", "create", str(editor)) in events
    assert ("update", "submit_for_review", str(editor)) in events
    assert ("update", "edit", str(editor)) in events
    edit = AuditEvent.objects.filter(object_id=str(page.pk), details__event="edit").latest("pk")
    assert edit.changes["title"] == ["Ny side om parkering", "Parkering i sentrum"]
    assert edit.acting_for == askim

    # the reviewer rejects, the editor resubmits, the reviewer approves (and so publishes)
    client.logout()
    login(client, reviewer)
    state = page.current_workflow_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/reject/{state.pk}/", {"comment": "Kortere"}
    )
    assert response.status_code in (200, 302)
    client.logout()
    login(client, editor)
    client.post(
        f"/admin/pages/{page.pk}/edit/",
        form("Parkering i sentrum", "parkering", **{"action-submit": "1"}),
    )
    client.logout()
    login(client, reviewer)
    page.refresh_from_db()
    state = page.current_workflow_task_state
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/", {})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live

    events = page_events(page.pk)
    assert ("update", "reject", str(reviewer)) in events
    assert ("update", "approve", str(reviewer)) in events
    assert ("update", "publish", str(reviewer)) in events

    # the reviewer unpublishes, moves and deletes it
    client.post(f"/admin/pages/{page.pk}/unpublish/", {})
    news = page.get_siblings().get(slug="nyheter")
    response = client.post(f"/admin/pages/{page.pk}/move/{home.pk}/confirm/", {})
    client.post(f"/admin/pages/{page.pk}/delete/", {})
    assert not Page.objects.filter(pk=page.pk).exists()

    events = page_events(page.pk)
    assert ("update", "unpublish", str(reviewer)) in events
    assert ("delete", "delete", str(reviewer)) in events
    assert all(e.acting_for == askim for e in AuditEvent.objects.filter(object_id=str(page.pk)))
    assert news  # the sibling is untouched


@pytest.mark.django_db
def test_moving_a_page_is_audited_with_the_old_and_new_address(demo):
    home = askim_home()
    page = home.add_child(instance=StandardPage(title="Flyttes", slug="flyttes"))
    news = home.get_children().get(slug="nyheter")
    target = home.get_children().get(slug="tjenester")

    page.move(target, pos="last-child")

    event = AuditEvent.objects.filter(object_id=str(page.pk), details__event="move").get()
    assert event.changes["url_path"] == [
        "/askim/flyttes/",
        "/askim/tjenester/flyttes/",
    ]
    assert news.pk != target.pk


@pytest.mark.django_db
def test_regional_page_edits_are_audited_without_a_municipality(demo):
    regional = HomePage.objects.get(is_regional=True, locale__language_code="nb")
    page = regional.add_child(instance=StandardPage(title="Regional side", slug="regional-side"))

    page.save_revision().publish()

    event = AuditEvent.objects.filter(object_id=str(page.pk), details__event="publish").get()
    assert event.acting_for is None
    assert event.details["locale"] == "nb"


@pytest.mark.django_db
def test_translation_is_audited_and_set_up_like_its_original(demo):
    spydeberg = HomePage.objects.get(organisation__slug="spydeberg", locale__language_code="nb")
    swedish = Locale.objects.get(language_code="sv")

    translation = spydeberg.copy_for_translation(swedish)

    event = AuditEvent.objects.filter(
        object_id=str(translation.pk), details__event="translate"
    ).get()
    assert event.action == "create"
    assert event.details["translation_of"] == spydeberg.pk
    assert event.acting_for == demo.org["spydeberg"]
    assert translation.get_workflow() is not None
    spydeberg_editors = spydeberg.group_permissions.values_list("group__name", flat=True)
    assert set(translation.group_permissions.values_list("group__name", flat=True)) == set(
        spydeberg_editors
    )


@pytest.mark.django_db
def test_pages_deleted_in_bulk_are_audited(client, demo, login):
    reviewer = demo.user["region.godkjenner"]
    home = askim_home()
    page = home.add_child(instance=StandardPage(title="Slettes", slug="slettes"))
    login(client, reviewer)

    response = client.post(f"/admin/bulk/wagtailcore/page/delete/?id={page.pk}", {})

    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert ("delete", "delete", str(reviewer)) in page_events(page.pk)
