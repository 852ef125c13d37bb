"""The public register at /cooperation/: public arrangements only, for everyone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samvirke.organisations import services
from samvirke.organisations.document_pdf import simple_pdf

pytestmark = pytest.mark.django_db


def test_public_register_lists_public_arrangements_with_hosts_and_participants(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/cooperation/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<caption" in page and 'scope="row"' in page and 'scope="col"' in page
    assert "PPT for Spydeberg, Skiptvet og Hobøl" in page and "Hobøl kommune" in page
    assert "sak-/arkivsystem" not in page
    assert "/cooperation/register/spydeberg/ppt/" in page
    page = client.get("/cooperation/register/spydeberg/ppt/").content.decode()
    assert "/cooperation/arrangements/ppt-spydeberg-skiptvet-hobol/" in page


def test_public_arrangement_page_and_404_for_non_public(client, demo, staff_client):
    response = client.get("/cooperation/arrangements/ppt-spydeberg-skiptvet-hobol/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skiptvet kommune" in page and "Spydeberg kommune" in page
    assert "Samarbeidsavtale" not in page  # the agreement is not public
    assert client.get("/cooperation/arrangements/spydeberg-sak-arkiv/").status_code == 404
    # not even for Spydeberg's own staff: the public pages show public things only
    own = staff_client("spydeberg.admin")
    assert own.get("/cooperation/arrangements/spydeberg-sak-arkiv/").status_code == 404


def test_public_documents_only(client, demo):
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    hidden = arrangement.documents.get()
    assert client.get(f"/cooperation/documents/{hidden.pk}/").status_code == 404
    public = services.arrangement_add_document(
        actor=None,
        arrangement=arrangement,
        title="Offentlig avtale",
        is_public=True,
        file=SimpleUploadedFile("avtale.pdf", simple_pdf(["Avtale"])),
    )
    page = client.get("/cooperation/arrangements/ppt-spydeberg-skiptvet-hobol/").content.decode()
    assert "Offentlig avtale" in page
    response = client.get(f"/cooperation/documents/{public.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
