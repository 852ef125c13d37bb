"""The API's endpoints: lists without N+1, writes through the services, errors in the
envelope with the services' codes, the schema, the docs page and tokens."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from samvirke.api.services import api_token_create
from samvirke.api.tests.conftest import assert_error
from samvirke.organisations.document_pdf import simple_pdf

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/organisations/",
    "/api/v1/units/",
    "/api/v1/areas/",
    "/api/v1/arrangements/",
    "/api/v1/register/",
    "/api/v1/register/rows/",
    "/api/v1/register/csv/",
    "/api/v1/audit-events/",
    "/api/v1/me/",
]


@pytest.mark.parametrize("url", LISTS)
def test_lists_cost_a_fixed_number_of_queries(
    url, demo, token_client, django_assert_max_num_queries
):
    client = token_client("askim", ["administrator", "coordinator"])
    client.get(url)  # warm caches that are not per request
    with django_assert_max_num_queries(14):
        response = client.get(url + "?page_size=200" if "csv" not in url else url)
    assert response.status_code == 200


def test_arrangement_list_filters(demo, token_client):
    client = token_client("askim")
    ppt = client.get("/api/v1/arrangements/?area=ppt").json()
    assert {a["slug"] for a in ppt["results"]} == {
        "ppt-spydeberg-skiptvet-hobol",
        "ppt-eidsberg-marker-rakkestad-trogstad",
    }
    hobol = demo.org["hobol"].id
    for a in client.get(f"/api/v1/arrangements/?organisation={hobol}&page_size=200").json()[
        "results"
    ]:
        assert a["host"]["id"] == hobol or hobol in {
            p["organisation"]["id"] for p in a["participants"]
        }
    assert (
        client.get("/api/v1/arrangements/?legal_form=project&search=sikkerhet").json()["count"] == 1
    )
    error = assert_error(client.get("/api/v1/arrangements/?status=bogus"), 400, "invalid")
    assert error["fields"]["status"][0]["code"] == "invalid_choice"


def test_organisation_filters(demo, token_client):
    client = token_client("askim")
    members = client.get("/api/v1/organisations/?member=true&page_size=200").json()
    assert members["count"] == 10
    assert client.get("/api/v1/organisations/?search=0124").json()["results"][0]["slug"] == "askim"


def test_coordinator_manages_an_arrangement_and_its_participants(demo, token_client):
    client = token_client("askim", ["coordinator"])
    area = demo.arrangement["ledningskartverk"].area_id
    created = client.post(
        "/api/v1/arrangements/",
        {
            "name": "Felles GIS",
            "area": area,
            "legal_form": "agreement",
            "host": demo.org["askim"].id,
            "cost_key": "Likt",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    arrangement = created.json()
    base = f"/api/v1/arrangements/{arrangement['id']}"

    changed = client.patch(f"{base}/", {"status": "planned"}, format="json")
    assert changed.json()["status"] == "planned"

    askim = client.post(
        f"{base}/participants/",
        {
            "organisation": demo.org["askim"].id,
            "cost_share": "60",
            "starts_on": "2026-01-01",
        },
        format="json",
    )
    assert askim.status_code == 201, askim.content
    too_much = client.post(
        f"{base}/participants/",
        {
            "organisation": demo.org["hobol"].id,
            "cost_share": "50",
        },
        format="json",
    )
    error = assert_error(too_much, 409, "conflict")
    assert error["fields"]["cost_share"][0]["code"] == "cost_shares_exceed_100"

    participant = askim.json()["id"]
    period = client.patch(
        f"{base}/participants/{participant}/", {"ends_on": "2025-01-01"}, format="json"
    )
    assert_error(period, 409, "conflict")  # ends before it starts
    period = client.patch(
        f"{base}/participants/{participant}/", {"cost_share": "40"}, format="json"
    )
    assert period.json()["cost_share"] == "40.00"
    assert client.delete(f"{base}/participants/{participant}/").status_code == 204
    assert client.get(f"{base}/participants/").json()["count"] == 0

    # hosting for another organisation is not the coordinator's to decide
    elsewhere = client.post(
        "/api/v1/arrangements/",
        {
            "name": "Spydebergs",
            "area": area,
            "legal_form": "agreement",
            "host": demo.org["spydeberg"].id,
        },
        format="json",
    )
    assert_error(elsewhere, 403, "permission_denied")
    unknown = client.post(
        "/api/v1/arrangements/",
        {
            "name": "X",
            "area": area,
            "legal_form": "agreement",
            "host": 10**12,
        },
        format="json",
    )
    assert assert_error(unknown, 409, "conflict")["fields"]["host"][0]["code"] == "does_not_exist"


def test_agreement_documents_upload_as_pdf_only(demo, token_client):
    client = token_client("askim", ["coordinator"])
    arrangement = demo.arrangement["ledningskartverk"]
    base = f"/api/v1/arrangements/{arrangement.id}/documents/"
    pdf = SimpleUploadedFile("avtale.pdf", simple_pdf(["Avtale"]), content_type="application/pdf")
    uploaded = client.post(base, {"title": "Avtale", "file": pdf}, format="multipart")
    assert uploaded.status_code == 201, uploaded.content
    download = client.get(uploaded.json()["download_url"])
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    text = SimpleUploadedFile("avtale.pdf", b"not a pdf", content_type="application/pdf")
    rejected = client.post(base, {"title": "Avtale", "file": text}, format="multipart")
    error = assert_error(rejected, 409, "conflict")
    assert error["fields"]["file"][0]["code"] == "file_type_not_allowed"
    assert_error(client.post(base, {"title": "x"}, format="json"), 415, "unsupported_media_type")


def test_units_and_areas_are_written_by_those_allowed(demo, token_client, session_client):
    admin = token_client("askim", ["administrator"])
    created = admin.post(
        "/api/v1/units/",
        {
            "organisation": demo.org["askim"].id,
            "name": "Kulturskolen",
            "is_public": False,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    unit = created.json()["id"]
    assert (
        admin.patch(f"/api/v1/units/{unit}/", {"phone": "69 00 00 00"}, format="json").status_code
        == 200
    )
    assert_error(
        admin.post(
            "/api/v1/units/",
            {
                "organisation": demo.org["spydeberg"].id,
                "name": "Kapret",
            },
            format="json",
        ),
        403,
        "permission_denied",
    )

    assert_error(
        admin.post("/api/v1/areas/", {"code": "havn", "name": "Havn"}, format="json"),
        403,
        "permission_denied",
    )
    coordinator = session_client("region.koordinator")
    area = coordinator.post(
        "/api/v1/areas/",
        {
            "code": "havn",
            "name": "Havn",
            "names": {"en": "Harbour"},
        },
        format="json",
    )
    assert area.status_code == 201, area.content
    renamed = coordinator.patch(
        f"/api/v1/areas/{area.json()['id']}/", {"position": 3}, format="json"
    )
    assert renamed.json()["position"] == 3


def test_register_csv_has_the_agreed_columns(demo, token_client):
    response = token_client("askim").get("/api/v1/register/csv/")
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = response.content.decode().splitlines()
    assert header == (
        "arrangement,area,legal_form,host,host_unit,participant,"
        "municipality_number,from,until,cost_share,status"
    )
    assert rows


def test_me_shows_grants_through_arrangements(demo, session_client):
    me = session_client("spydeberg.ppt").get("/api/v1/me/").json()
    assert [o["organisation"]["slug"] for o in me["organisations"]] == ["spydeberg"]
    assert me["organisations"][0]["roles"] == ["case_handler"]
    granted = {(g["organisation"]["slug"], g["area"]["code"]) for g in me["arrangement_grants"]}
    assert granted == {("skiptvet", "ppt"), ("hobol", "ppt")}
    assert me["token"] is None


def test_reader_may_not_read_the_audit_log(demo, token_client):
    assert_error(token_client("askim").get("/api/v1/audit-events/"), 403, "permission_denied")


def test_unknown_api_path_is_a_404_in_the_envelope(demo, token_client):
    assert_error(token_client("askim").get("/api/v1/nothing-here/"), 404, "not_found")


def test_schema_and_docs(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/arrangements/{arrangement_id}/participants/" in schema["paths"]
    error = schema["components"]["schemas"]["Error"]
    assert "cost_shares_exceed_100" in error["description"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/api/v1/arrangements/" in docs.content
    assert b"cdn" not in docs.content.lower()


def test_token_command_prints_a_token_once(demo):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token_create",
        organisation="askim",
        name="Sak/arkiv",
        roles=["reader"],
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    me = client.get("/api/v1/me/").json()
    assert me["token"]["organisation"]["slug"] == "askim"
    assert me["organisations"][0]["roles"] == ["reader"]
    from samvirke.api.models import ApiToken

    assert not ApiToken.objects.filter(digest=raw).exists()  # only the digest is stored


def test_only_the_organisations_administrator_makes_its_tokens(demo):
    with pytest.raises(PermissionDenied):
        api_token_create(
            actor=demo.user["askim.admin"], organisation=demo.org["spydeberg"], name="x"
        )
    with pytest.raises(PermissionDenied):
        api_token_create(
            actor=demo.user["askim.admin"],
            organisation=demo.org["askim"],
            name="x",
            roles=["regional_coordinator"],
        )
    token, _raw = api_token_create(
        actor=demo.user["askim.admin"], organisation=demo.org["askim"], name="Arkiv"
    )
    assert token.user.role_assignments.get().role == "reader"
