"""The back-office form library: list, JSON editor, preview, import and export."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override

from samvirke.eservices.models import FormDefinition
from samvirke.eservices.services import form_import

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"samvirke_eservices:{name}", args=args)


@pytest.fixture
def author(client, demo, login):
    login(client, demo.user["region.koordinator"])
    return demo.user["region.koordinator"]


@pytest.fixture
def ppt():
    return FormDefinition.objects.get(slug="henvisning-ppt")


def test_library_list(client, author):
    response = client.get(url("form_index"))
    assert response.status_code == 200
    body = response.content.decode()
    for slug in ("byggesoknad", "henvisning-ppt", "melding-til-kommunen"):
        assert slug in body


def test_library_list_query_count_does_not_grow_with_forms(
    client, author, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as few:
        client.get(url("form_index"))
    from samvirke.eservices.demo import library_documents

    base = library_documents()[2]
    for i in range(10):
        document = dict(base, slug=f"kopi-{i}")
        form_import(actor=author, document=document)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("form_index"))
    assert response.content.decode().count("kopi-") >= 10


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard; the
    staff login stands in front of the admin for everyone else."""
    location = response.get("Location", "")
    return response.status_code == 403 or (
        response.status_code == 302 and not location.startswith("/admin/e-services/")
    )


@pytest.mark.parametrize("username", ["askim.saksbehandler", "askim.redaktor"])
def test_other_staff_are_refused(client, demo, login, ppt, username):
    login(client, demo.user[username])
    for response in (
        client.get(url("form_index")),
        client.get(url("form_edit", ppt.pk)),
        client.get(url("form_export", ppt.pk)),
        client.get(url("form_preview", ppt.pk)),
        client.post(url("form_publish", ppt.pk)),
        client.post(url("form_edit", ppt.pk), {"definition": "{}"}),
    ):
        assert refused(response)
        assert b"format_version" not in response.content
    assert ppt.versions.count() == 1


def test_citizens_are_refused(client, demo, ppt):
    from samvirke.accounts.models import User, UserKind

    citizen = User.objects.filter(kind=UserKind.CITIZEN).first() or User.objects.create_user(
        username="test-citizen", kind=UserKind.CITIZEN
    )
    client.force_login(citizen)
    assert refused(client.get(url("form_edit", ppt.pk)))


def test_anonymous_users_are_sent_to_login(client, demo, ppt):
    response = client.get(url("form_edit", ppt.pk))
    assert response.status_code == 302 and "login" in response["Location"]


def test_unknown_form_is_404(client, author):
    assert client.get(url("form_edit", 999999)).status_code == 404


def test_editor_keeps_the_text_and_lists_problems_by_pointer(client, author, ppt):
    text = json.dumps(ppt.versions.get().definition).replace('"child_name"', '"guardian_name"')
    with override("en"):
        response = client.post(
            url("form_edit", ppt.pk), {"definition": text}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert "/steps/1/fields/0/key" in body and "duplicate_key" in body
    assert response.context["text"] == text
    assert ppt.versions.count() == 1


def test_editor_saves_a_new_version_and_publishes(client, author, ppt):
    definition = ppt.versions.get().definition
    definition["title"]["en"] = "Referral to PPT"
    response = client.post(url("form_edit", ppt.pk), {"definition": json.dumps(definition)})
    assert response.status_code == 302
    assert ppt.versions.count() == 2 and not ppt.versions.get(number=2).published
    assert client.post(url("form_publish", ppt.pk)).status_code == 302
    assert ppt.versions.get(number=2).published


def test_preview_steps_through_the_form_and_reviews(client, author, ppt):
    definition = {
        "format_version": 1,
        "title": {"nb": "Prøve", "en": "Trial"},
        "steps": [
            {
                "key": "one",
                "title": {"nb": "En"},
                "fields": [
                    {"key": "name", "type": "text", "required": True, "label": {"nb": "Navn"}},
                    {"key": "kids", "type": "yes_no", "label": {"nb": "Barn?"}},
                ],
            },
        ],
    }
    # the editor's Preview button posts the unsaved text
    response = client.post(url("form_preview", ppt.pk), {"definition": json.dumps(definition)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Prøve" in body and 'name="name"' in body
    response = client.post(
        url("form_preview", ppt.pk), {"_step": "0", "_shown": "name,kids", "name": ""}
    )
    assert 'href="#field-name"' in response.content.decode()
    response = client.post(
        url("form_preview", ppt.pk),
        {"_step": "0", "_shown": "name,kids", "name": "Kari", "kids": "no"},
    )
    body = response.content.decode()
    assert response.context["is_review"] and "Kari" in body and "?step=0#field-name" in body
    # the change link leads back to the step with the answer kept
    response = client.get(url("form_preview", ppt.pk) + "?step=0")
    assert 'value="Kari"' in response.content.decode()
    assert ppt.versions.count() == 1  # nothing saved


def test_preview_of_a_broken_definition_lists_problems(client, author, ppt):
    response = client.post(url("form_preview", ppt.pk), {"definition": "{"})
    assert response.status_code == 400 and "invalid_json" not in response.content.decode()
    assert response.context["problems"][0].code == "invalid_json"


def test_export_and_import(client, author, ppt):
    response = client.get(url("form_export", ppt.pk))
    assert response["Content-Disposition"] == 'attachment; filename="henvisning-ppt.json"'
    document = json.loads(response.content)
    document["slug"] = "henvisning-ppt-kopi"
    upload = SimpleUploadedFile(
        "f.json", json.dumps(document).encode(), content_type="application/json"
    )
    response = client.post(url("form_import"), {"file": upload})
    assert response.status_code == 302
    assert FormDefinition.objects.filter(slug="henvisning-ppt-kopi").exists()
    upload = SimpleUploadedFile("f.json", b'{"export_format": 1}', content_type="application/json")
    response = client.post(url("form_import"), {"file": upload})
    assert response.status_code == 400 and "/slug" in response.content.decode()


def test_the_schema_is_published(client, db):
    response = client.get("/e-services/schema/form-definition.schema.json")
    assert response.status_code == 200 and response.json()["$schema"].endswith("2020-12/schema")


def test_preview_counts_the_review_page_as_a_step_as_citizens_see_it(client, author, ppt):
    definition = {
        "format_version": 1,
        "title": {"nb": "Prøve"},
        "steps": [
            {
                "key": "one",
                "title": {"nb": "En"},
                "fields": [{"key": "name", "type": "text", "label": {"nb": "Navn"}}],
            },
        ],
    }
    body = client.post(
        url("form_preview", ppt.pk), {"definition": json.dumps(definition)}
    ).content.decode()
    assert re.search(r"(Steg|Step) 1 (av|of) 2", body)
    body = client.post(
        url("form_preview", ppt.pk), {"_step": "0", "_shown": "name", "name": "Kari"}
    ).content.decode()
    assert re.search(r"(Steg|Step) 2 (av|of) 2", body)
    review_title = r"(Kontroller svarene og send|Check your answers and send)"
    assert re.search(rf"<h2[^>]*>{review_title}</h2>", body)
