"""Tenant isolation through the API: what belongs to Spydeberg alone is a 404 for Askim,
whether Askim asks with a staff session or with a token."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from samvirke.api.tests.conftest import assert_error
from samvirke.audit.models import AuditEvent
from samvirke.organisations import services
from samvirke.organisations.document_pdf import simple_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def spydeberg_only(demo):
    arrangement = demo.arrangement["spydeberg-sak-arkiv"]
    document = services.arrangement_add_document(
        actor=None,
        arrangement=arrangement,
        title="Kravspesifikasjon",
        file=ContentFile(simple_pdf(["Intern"]), name="krav.pdf"),
    )
    return {
        "arrangement": arrangement,
        "document": document,
        "unit": demo.org["spydeberg"].units.get(slug="personal-og-lonn"),
        "event": AuditEvent.objects.filter(acting_for=demo.org["spydeberg"]).first(),
        "ppt": demo.arrangement["ppt-spydeberg-skiptvet-hobol"],
    }


def _askim_clients(session_client, token_client):
    return {
        "askim case handler (session)": session_client("askim.saksbehandler"),
        "askim administrator (session)": session_client("askim.admin"),
        "askim token (reader)": token_client("askim", ["reader"]),
        "askim token (administrator)": token_client("askim", ["administrator", "coordinator"]),
    }


def test_askim_gets_404_for_everything_spydeberg_keeps_to_itself(
    spydeberg_only, session_client, token_client
):
    arrangement, document = spydeberg_only["arrangement"], spydeberg_only["document"]
    ppt = spydeberg_only["ppt"]
    urls = [
        f"/api/v1/arrangements/{arrangement.id}/",
        f"/api/v1/arrangements/{arrangement.id}/participants/",
        f"/api/v1/arrangements/{arrangement.id}/documents/",
        f"/api/v1/arrangements/{arrangement.id}/documents/{document.id}/",
        f"/api/v1/arrangements/{arrangement.id}/documents/{document.id}/download/",
        # the document's id through an arrangement Askim may see is no way in either
        f"/api/v1/arrangements/{ppt.id}/documents/{document.id}/download/",
        f"/api/v1/units/{spydeberg_only['unit'].id}/",
        f"/api/v1/audit-events/{spydeberg_only['event'].id}/",
    ]
    for who, client in _askim_clients(session_client, token_client).items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (who, url, response.status_code)
            assert_error(response, 404, "not_found")
        listed = client.get("/api/v1/arrangements/?page_size=200").json()["results"]
        assert arrangement.id not in {a["id"] for a in listed}, who
        units = client.get(f"/api/v1/units/?organisation={arrangement.host_id}").json()
        assert spydeberg_only["unit"].id not in {u["id"] for u in units["results"]}, who


def test_askim_administrator_reads_only_askim_audit_events(demo, session_client, token_client):
    for client in (session_client("askim.admin"), token_client("askim", ["administrator"])):
        events = client.get("/api/v1/audit-events/?page_size=200").json()["results"]
        assert events
        assert {e["acting_for"]["id"] for e in events} == {demo.org["askim"].id}


def test_spydeberg_ppt_staff_see_their_arrangements_and_documents(spydeberg_only, session_client):
    client = session_client("spydeberg.ppt")
    ppt = spydeberg_only["ppt"]
    assert (
        client.get(f"/api/v1/arrangements/{spydeberg_only['arrangement'].id}/").status_code == 200
    )
    documents = client.get(f"/api/v1/arrangements/{ppt.id}/documents/").json()["results"]
    assert len(documents) == 1
    download = client.get(documents[0]["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # and the non-public units of their own municipality
    assert client.get(f"/api/v1/units/{spydeberg_only['unit'].id}/").status_code == 200


def test_no_credentials_is_401_and_bad_tokens_are_refused(demo, token_client):
    from rest_framework.test import APIClient

    from samvirke.api.services import api_token_revoke

    assert_error(APIClient().get("/api/v1/arrangements/"), 401, "not_authenticated")
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(bad.get("/api/v1/arrangements/"), 401, "authentication_failed")

    client = token_client("askim")
    assert client.get("/api/v1/me/").status_code == 200
    api_token_revoke(actor=None, token=client.token)
    assert_error(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_forbidden_write_is_403_with_a_stable_code(demo, token_client, session_client):
    ppt = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]  # public, hosted by Spydeberg
    for client in (token_client("askim", ["coordinator"]), session_client("hobol.koordinator")):
        response = client.patch(
            f"/api/v1/arrangements/{ppt.id}/", {"name": "Kapret"}, format="json"
        )
        assert_error(response, 403, "permission_denied")
    ppt.refresh_from_db()
    assert ppt.name != "Kapret"


def test_session_writes_need_the_csrf_token(demo, session_client):
    client = session_client("askim.admin", enforce_csrf=True)
    arrangement = demo.arrangement["ledningskartverk"]
    response = client.patch(
        f"/api/v1/arrangements/{arrangement.id}/", {"cost_key": "Likt"}, format="json"
    )
    assert_error(response, 403, "permission_denied")
    assert "CSRF" in response.json()["error"]["message"]


def test_staff_session_without_second_factor_is_refused(demo):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(demo.user["askim.admin"])  # password only; the account has TOTP
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] in ("second_factor_required", "not_authenticated")
