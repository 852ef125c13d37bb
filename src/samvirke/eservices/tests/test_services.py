"""Services: versions, publishing, import and export, permissions and audit."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samvirke.audit.models import AuditEvent
from samvirke.eservices import selectors, services
from samvirke.eservices.demo import library_documents, load
from samvirke.eservices.models import FormDefinition, FormVersion
from samvirke.organisations.models import AreaOfWork

from .definitions import field, single

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(demo):
    return AreaOfWork.objects.get(code="kultur")


def test_the_demo_library_is_loaded_and_published(demo):
    load()  # idempotent
    slugs = {d["slug"] for d in library_documents()}
    assert set(FormDefinition.objects.values_list("slug", flat=True)) >= slugs
    for slug in slugs:
        form = FormDefinition.objects.get(slug=slug)
        assert list(form.versions.values_list("number", "published")) == [(1, True)]


def test_create_add_versions_and_publish(demo, area):
    author = demo.user["region.koordinator"]
    form = services.form_create(
        actor=author,
        slug="pamelding-kulturskole",
        title="Påmelding",
        area=area,
        definition=single(field("name", "text")),
    )
    first = selectors.version_latest(form=form)
    assert first.number == 1 and not first.published and first.created_by == author
    # saving the same definition adds nothing
    assert services.form_version_add(actor=author, form=form, definition=first.definition) == first
    services.form_version_publish(actor=author, version=first)
    first.refresh_from_db()
    assert first.published and first.published_at is not None
    with pytest.raises(ValidationError) as error:
        services.form_version_publish(actor=author, version=first)
    assert error.value.code == "already_published"
    # a change to a published form is a new version; the published one stays as it was
    second = services.form_version_add(
        actor=author, form=form, definition=single(field("navn", "text"))
    )
    assert second.number == 2
    first.refresh_from_db()
    assert first.definition["steps"][0]["fields"][0]["key"] == "name"
    assert selectors.version_published(form=form) == first
    actions = list(
        AuditEvent.objects.filter(object_type__startswith="eservices.", actor=author).values_list(
            "action", flat=True
        )
    )
    assert actions.count("create") == 3 and actions.count("update") == 1


def test_invalid_definitions_raise_with_codes_and_pointers(demo, area):
    author = demo.user["region.koordinator"]
    broken = single(field("a", "text"), field("a", "email"))
    with pytest.raises(services.DefinitionInvalid) as error:
        services.form_create(actor=author, slug="x", title="X", area=area, definition=broken)
    assert [(p.code, p.pointer) for p in error.value.problems] == [
        ("duplicate_key", "/steps/0/fields/1/key")
    ]
    assert not FormDefinition.objects.filter(slug="x").exists()


@pytest.mark.parametrize("username", ["askim.saksbehandler", "askim.redaktor", "spydeberg.ppt"])
def test_only_authors_write(demo, area, username):
    with pytest.raises(PermissionDenied):
        services.form_create(actor=demo.user[username], slug="x", title="X", area=area)
    form = FormDefinition.objects.get(slug="henvisning-ppt")
    with pytest.raises(PermissionDenied):
        services.form_export(actor=demo.user[username], form=form)
    assert selectors.form_list(user=demo.user[username]).count() == 0


@pytest.mark.parametrize("username", ["region.koordinator", "askim.admin", "hobol.koordinator"])
def test_authors(demo, username):
    assert demo.user[username].has_perm("eservices.author_form")
    assert selectors.form_list(user=demo.user[username]).count() >= 3


def test_export_then_import_round_trip(demo):
    author = demo.user["askim.admin"]
    form = FormDefinition.objects.get(slug="melding-til-kommunen")
    exported = json.loads(services.form_export(actor=author, form=form))
    assert exported["slug"] == form.slug and exported["version"] == 1 and exported["published"]
    assert exported["area_of_work"] == "sentraladministrasjon"
    assert AuditEvent.objects.filter(action="export", object_id=str(form.pk)).exists()
    # importing the same file adds nothing; a changed file adds a version
    assert services.form_import(actor=author, document=json.dumps(exported)).number == 1
    exported["definition"]["title"]["en"] = "Message to your municipality"
    version = services.form_import(actor=author, document=exported)
    assert version.number == 2 and not version.published
    # a new slug creates a new form
    exported["slug"] = "melding-kopi"
    version = services.form_import(actor=author, document=exported, publish=True)
    assert version.form.slug == "melding-kopi" and version.published


def test_import_errors_point_into_the_file(demo):
    author = demo.user["askim.admin"]
    document = next(d for d in library_documents() if d["slug"] == "henvisning-ppt")
    document["definition"]["steps"][0]["fields"][0]["type"] = "bogus"
    with pytest.raises(services.DefinitionInvalid) as error:
        services.form_import(actor=author, document=document)
    assert error.value.problems[0].pointer == "/definition/steps/0/fields/0/type"
    with pytest.raises(services.DefinitionInvalid) as error:
        services.form_import(actor=author, document='{"slug": 1}')
    assert error.value.problems[0].code == "unknown_export_format"
    document = next(d for d in library_documents() if d["slug"] == "henvisning-ppt")
    document["area_of_work"] = "nowhere"
    with pytest.raises(services.DefinitionInvalid) as error:
        services.form_import(actor=author, document=document)
    assert error.value.problems[0].code == "unknown_area_of_work"


def test_version_numbers_are_unique_per_form(demo):
    from django.db import IntegrityError, transaction

    form = FormDefinition.objects.get(slug="henvisning-ppt")
    with pytest.raises(IntegrityError), transaction.atomic():
        FormVersion.objects.create(form=form, number=1, definition={})
