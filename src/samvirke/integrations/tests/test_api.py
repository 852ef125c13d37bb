"""The integration API: cases and submissions scoped to the token's organisation (owned
and handled through an arrangement), filters, pagination, the status change and journal
entries through the core services, document downloads, audit, and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samvirke.api.tests.conftest import assert_error
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases.documents.services import ScannerUnavailable, ScanResult, VirusScanner
from samvirke.cases.models import Case, JournalEntry
from samvirke.cases.tests.factories import PDF, case_with_submission, entitle_systems_to_ppt
from samvirke.core.tests import files
from samvirke.integrations.tests.factories import MarkerScanner

pytestmark = pytest.mark.django_db

HANDLER = ["case_handler"]


@pytest.fixture
def cases(demo):
    entitle_systems_to_ppt()
    return {
        "askim": case_with_submission(demo, "askim"),
        "skiptvet_ppt": case_with_submission(demo, "skiptvet", "henvisning-ppt", name="Ola"),
        "spydeberg": case_with_submission(demo, "spydeberg", name="Per"),
    }


def test_a_token_lists_the_cases_its_organisation_owns(demo, cases, token_client):
    askim = demo.org["askim"].id
    body = token_client("askim", HANDLER).get("/api/v1/cases/?page_size=200").json()
    ids = {c["id"] for c in body["results"]}
    assert cases["askim"].id in ids
    assert not ids & {cases["skiptvet_ppt"].id, cases["spydeberg"].id}
    assert all(
        askim in (c["owner"]["id"], c["handling_organisation"]["id"]) for c in body["results"]
    )
    [item] = [c for c in body["results"] if c["id"] == cases["askim"].id]
    assert item["reference"] == cases["askim"].reference
    assert item["status"] == "received" and item["phase"] == "open"
    assert item["owner"]["slug"] == "askim"
    assert item["form"] == "melding-til-kommunen"
    assert item["submission"] == cases["askim"].submission.id
    assert item["url"].endswith(f"/api/v1/cases/{cases['askim'].id}/")


def test_the_host_and_the_owner_both_see_a_case_handled_through_an_arrangement(cases, token_client):
    ppt = cases["skiptvet_ppt"]
    assert ppt.handling_organisation.slug == "spydeberg"
    for org in ("spydeberg", "skiptvet"):
        client = token_client(org, HANDLER)
        ids = {c["id"] for c in client.get("/api/v1/cases/?page_size=200").json()["results"]}
        assert ppt.id in ids, org
        detail = client.get(f"/api/v1/cases/{ppt.id}/")
        assert detail.status_code == 200, org
        assert detail.json()["handling_organisation"]["slug"] == "spydeberg"
    spydeberg = token_client("spydeberg", HANDLER).get("/api/v1/cases/?page_size=200").json()
    spydeberg_ids = {c["id"] for c in spydeberg["results"]}
    assert {ppt.id, cases["spydeberg"].id} <= spydeberg_ids
    assert cases["askim"].id not in spydeberg_ids


def test_other_organisations_cases_are_404_in_the_envelope(cases, token_client):
    ppt = cases["skiptvet_ppt"]
    document = ppt.documents.first()
    submission = ppt.submission
    for client in (token_client("askim", HANDLER), token_client("askim", ["administrator"])):
        for url in (
            f"/api/v1/cases/{ppt.id}/",
            f"/api/v1/cases/{ppt.id}/journal-entries/",
            f"/api/v1/cases/{ppt.id}/documents/{document.id}/download/",
            f"/api/v1/submissions/{submission.id}/",
        ):
            assert_error(client.get(url), 404, "not_found")
        assert_error(
            client.post(f"/api/v1/cases/{ppt.id}/status/", {"status": "in_progress"}, "json"),
            404,
            "not_found",
        )
        assert_error(
            client.post(
                f"/api/v1/cases/{ppt.id}/journal-entries/",
                {"entry_type": "X", "title": "x"},
                "json",
            ),
            404,
            "not_found",
        )
    # a document of one's own case is no way into another case's documents
    askim_doc = cases["askim"].documents.first()
    assert_error(
        token_client("askim", HANDLER).get(
            f"/api/v1/cases/{cases['askim'].id}/documents/{document.id}/download/"
        ),
        404,
        "not_found",
    )
    assert askim_doc is not None
    assert Case.objects.get(pk=ppt.pk).status == "received"


def test_a_reader_token_may_not_read_cases(cases, token_client):
    client = token_client("askim", ["reader"])
    assert_error(client.get("/api/v1/cases/"), 403, "permission_denied")
    assert_error(client.get("/api/v1/submissions/"), 403, "permission_denied")
    assert_error(client.get(f"/api/v1/cases/{cases['askim'].id}/"), 404, "not_found")


def test_a_staff_session_sees_what_the_case_pages_show(cases, session_client):
    client = session_client("spydeberg.ppt")
    ids = {c["id"] for c in client.get("/api/v1/cases/").json()["results"]}
    assert cases["skiptvet_ppt"].id in ids
    assert cases["askim"].id not in ids
    assert_error(
        session_client("askim.saksbehandler").get(f"/api/v1/cases/{cases['skiptvet_ppt'].id}/"),
        404,
        "not_found",
    )


def test_case_filters_and_pagination(demo, cases, token_client):
    extra = case_with_submission(demo, "askim", "feilmelding", name="Siri")
    client = token_client("askim", HANDLER)

    def ids(query: str) -> set[int]:
        body = client.get(f"/api/v1/cases/?page_size=200&{query}").json()
        return {c["id"] for c in body["results"]}

    assert {extra.id, cases["askim"].id} <= ids("")
    by_form = ids("form=feilmelding")
    assert extra.id in by_form and cases["askim"].id not in by_form
    client.post(f"/api/v1/cases/{extra.id}/status/", {"status": "in_progress"}, "json")
    in_progress = client.get("/api/v1/cases/?status=in_progress&page_size=200").json()["results"]
    assert extra.id in {c["id"] for c in in_progress}
    assert {c["status"] for c in in_progress} == {"in_progress"}
    Case.objects.exclude(pk=extra.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    recent = client.get("/api/v1/cases/", {"updated_since": since}).json()["results"]
    assert [c["id"] for c in recent] == [extra.id]
    unit = cases["askim"].handling_unit_id
    by_unit = client.get(f"/api/v1/cases/?unit={unit}&page_size=200").json()["results"]
    assert cases["askim"].id in {c["id"] for c in by_unit}
    assert {c["handling_unit"]["id"] for c in by_unit} == {unit}
    page = client.get("/api/v1/cases/?page_size=1").json()
    assert page["count"] >= 2 and len(page["results"]) == 1 and page["next"]
    assert_error(client.get("/api/v1/cases/?page=9999"), 404, "not_found")
    error = assert_error(client.get("/api/v1/cases/?updated_since=yesterday"), 400, "invalid")
    assert "updated_since" in error["fields"]


def test_case_detail_has_the_journal_and_document_metadata(cases, token_client):
    case = cases["askim"]
    body = token_client("askim", HANDLER).get(f"/api/v1/cases/{case.id}/").json()
    assert body["applicant_name"] == "Kari Testesen"
    assert {s["key"] for s in body["allowed_statuses"]} >= {"in_progress"}
    [entry] = body["journal_entries"]
    assert entry["entry_type"] == "I" and entry["reference"] == f"{case.reference}-1"
    assert entry["parties"][0]["name"] == "Kari Testesen"
    [document] = body["documents"]
    assert document["name"] == "vedlegg.pdf" and document["size"] == len(PDF)
    assert document["sha256"] and document["journal_entry"] == entry["id"]
    assert entry["documents"][0]["id"] == document["id"]


def test_document_download(cases, token_client):
    case = cases["skiptvet_ppt"]
    document = case.documents.get()
    for org in ("spydeberg", "skiptvet"):
        response = token_client(org, HANDLER).get(
            f"/api/v1/cases/{case.id}/documents/{document.id}/download/"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == PDF


def test_submissions_list_filters_and_detail(cases, token_client):
    client = token_client("spydeberg", HANDLER)
    body = client.get("/api/v1/submissions/?page_size=200").json()
    assert {cases["skiptvet_ppt"].id, cases["spydeberg"].id} <= {s["case"] for s in body["results"]}
    assert cases["askim"].id not in {s["case"] for s in body["results"]}
    assert "answers" not in body["results"][0]
    ppt = client.get("/api/v1/submissions/?form=henvisning-ppt&page_size=200").json()["results"]
    assert {s["form"] for s in ppt} == {"henvisning-ppt"}
    assert {s["owner"]["slug"] for s in ppt} <= {"spydeberg", "skiptvet", "hobol"}
    [mine] = [s for s in ppt if s["case"] == cases["skiptvet_ppt"].id]
    assert mine["owner"]["slug"] == "skiptvet"
    waiting = client.get("/api/v1/submissions/?status=awaiting_neighbours").json()["results"]
    assert {s["state"] for s in waiting} <= {"awaiting_neighbours"}
    detail = client.get(mine["url"]).json()
    assert detail["answers"] == {"message": "Testdata: hull i veien ved skolen."}
    assert detail["documents"][0]["download_url"].endswith("/download/")
    assert_error(client.get("/api/v1/submissions/?status=bogus"), 400, "invalid")


def test_status_change_through_the_core_and_audited_with_the_token(cases, token_client):
    case = cases["skiptvet_ppt"]
    client = token_client("spydeberg", HANDLER)
    response = client.post(
        f"/api/v1/cases/{case.id}/status/",
        {"status": "awaiting_information", "reason": "Mangler vedlegg"},
        "json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "awaiting_information"
    assert response.json()["phase"] == "paused"
    case.refresh_from_db()
    assert case.paused_at is not None  # the core's deadline clock
    event = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.id), action=AuditAction.UPDATE
    ).latest("id")
    assert event.actor == client.token.user
    assert event.changes == {"status": ["received", "awaiting_information"]}
    assert case.events.filter(kind="status").latest("id").actor == client.token.user

    error = assert_error(
        client.post(f"/api/v1/cases/{case.id}/status/", {"status": "received"}, "json"),
        409,
        "conflict",
    )
    assert error["fields"]["status"][0]["code"] == "transition_not_allowed"
    error = assert_error(
        client.post(f"/api/v1/cases/{case.id}/status/", {"status": "nowhere"}, "json"),
        409,
        "conflict",
    )
    assert error["fields"]["status"][0]["code"] == "unknown_status"


def test_only_the_handling_organisation_changes_the_status(cases, token_client):
    case = cases["skiptvet_ppt"]
    assert_error(
        token_client("skiptvet", HANDLER).post(
            f"/api/v1/cases/{case.id}/status/", {"status": "in_progress"}, "json"
        ),
        403,
        "permission_denied",
    )
    case.refresh_from_db()
    assert case.status == "received"


def test_add_a_journal_entry_with_a_file(cases, token_client):
    case = cases["skiptvet_ppt"]  # screened (PPT)
    client = token_client("skiptvet", HANDLER)  # the owner's archive system
    response = client.post(
        f"/api/v1/cases/{case.id}/journal-entries/",
        {
            "entry_type": "U",
            "title": "Svar til Ola Testesen",
            "protected": ["Ola Testesen"],
            "parties": '[{"role": "recipient", "name": "Ola Testesen", "kind": "person"}]',
            "file": SimpleUploadedFile("svar.pdf", PDF, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["entry_type"] == "U" and body["number_in_case"] == 2
    assert body["public_title"] == "Svar til *****"
    assert body["parties"] == [{"role": "recipient", "name": "Ola Testesen", "kind": "person"}]
    [document] = body["documents"]
    assert document["kind"] == "letter" and document["content_type"] == "application/pdf"
    entry = JournalEntry.objects.get(pk=body["id"])
    assert entry.organisation == case.organisation  # the owner's journal
    assert entry.created_by == client.token.user
    assert AuditEvent.objects.filter(
        object_type="cases.journalentry", object_id=str(entry.id), actor=client.token.user
    ).exists()
    download = client.get(document["download_url"])
    assert b"".join(download.streaming_content) == PDF

    as_json = client.post(
        f"/api/v1/cases/{case.id}/journal-entries/",
        {"entry_type": "X", "title": "Notat", "parties": []},
        "json",
    )
    assert as_json.status_code == 201 and as_json.json()["documents"] == []
    listed = client.get(f"/api/v1/cases/{case.id}/journal-entries/").json()
    assert [e["number_in_case"] for e in listed["results"]] == [1, 2, 3]


def test_journal_entry_input_errors_have_codes(cases, token_client):
    case = cases["askim"]
    client = token_client("askim", HANDLER)
    url = f"/api/v1/cases/{case.id}/journal-entries/"
    error = assert_error(
        client.post(url, {"entry_type": "Q", "title": "x"}, "json"), 400, "invalid"
    )
    assert error["fields"]["entry_type"][0]["code"] == "invalid_choice"
    error = assert_error(
        client.post(
            url,
            {
                "entry_type": "I",
                "title": "Brev",
                "file": SimpleUploadedFile(
                    "x.pdf", b"MZ not a pdf", content_type="application/pdf"
                ),
            },
            format="multipart",
        ),
        409,
        "conflict",
    )
    assert error["fields"]["file"][0]["code"] == "file_type_not_allowed"
    error = assert_error(
        client.post(url, {"entry_type": "I", "title": "x", "parties": "{nope"}, format="multipart"),
        400,
        "invalid",
    )
    assert "parties" in error["fields"]
    assert case.journal_entries.count() == 1  # nothing half-made


def test_reads_of_personal_data_are_audited_with_the_token(cases, token_client):
    case = cases["askim"]
    client = token_client("askim", HANDLER)
    client.get(f"/api/v1/cases/{case.id}/")
    client.get(f"/api/v1/submissions/{case.submission.id}/")
    client.get("/api/v1/cases/")
    reads = AuditEvent.objects.filter(action=AuditAction.READ, actor=client.token.user)
    assert {(e.object_type, e.details["what"]) for e in reads} == {
        ("cases.case", "case"),
        ("cases.submission", "submission"),
        ("cases.case", "case list"),
    }
    assert all(e.acting_for_id == client.token.organisation_id for e in reads)
    assert case.id in reads.get(details__what="case list").details["ids"]


@pytest.mark.parametrize(
    "url", ["/api/v1/cases/", "/api/v1/submissions/", "/api/v1/webhooks/", "CASE", "JOURNAL"]
)
def test_lists_cost_a_fixed_number_of_queries(
    demo, url, token_client, django_assert_max_num_queries
):
    made = [case_with_submission(demo, "askim", name=f"N{i}") for i in range(8)]
    client = token_client("askim", ["case_handler", "administrator"])
    for i in range(3):
        client.post(
            "/api/v1/webhooks/",
            {"url": f"https://example.invalid/{i}", "events": ["case.status_changed"]},
            "json",
        )
    if url == "CASE":
        url = f"/api/v1/cases/{made[0].id}/"
    elif url == "JOURNAL":
        url = f"/api/v1/cases/{made[0].id}/journal-entries/"
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200


class UnreachableScanner(VirusScanner):
    """A configured scanner that cannot give an answer (clamd down)."""

    verbose_name = "clamd down"

    def scan(self, content: bytes) -> ScanResult:
        raise ScannerUnavailable("clamd: connection refused")


class RegisteredMarkerScanner(MarkerScanner, VirusScanner):
    """The factories' marker scanner as a plugin of the `virus_scanners` kind."""

    verbose_name = "finds the test marker"


def test_refused_files_keep_the_apis_codes(cases, token_client, virus_scanner, monkeypatch):
    from samvirke.integrations import services

    case = cases["askim"]
    client = token_client("askim", HANDLER)
    url = f"/api/v1/cases/{case.id}/journal-entries/"

    def refused_code(name: str, content: bytes, status: int = 409, code: str = "conflict") -> str:
        file = SimpleUploadedFile(name, content, content_type="application/pdf")
        response = client.post(
            url, {"entry_type": "I", "title": "Brev", "file": file}, format="multipart"
        )
        return assert_error(response, status, code)["fields"]["file"][0]["code"]

    # the serializer's own check, first: a malformed request (400); the services' are 409
    assert refused_code("tom.pdf", b"", 400, "invalid") == "empty"
    monkeypatch.setattr(services, "MAX_UPLOAD_MB", 0.001)  # about 1 KB
    assert refused_code("stor.pdf", PDF + b"\n" * 2000) == "file_too_large"
    monkeypatch.undo()
    virus_scanner(UnreachableScanner)
    assert refused_code("brev.pdf", PDF) == "scan_unavailable"
    assert case.journal_entries.count() == 1  # nothing stored


def test_uploads_go_through_the_virus_scanner(cases, token_client, virus_scanner):
    virus_scanner(RegisteredMarkerScanner)
    case = cases["askim"]
    client = token_client("askim", HANDLER)
    url = f"/api/v1/cases/{case.id}/journal-entries/"
    infected = SimpleUploadedFile("x.pdf", PDF + MarkerScanner.MARKER, "application/pdf")
    error = assert_error(
        client.post(url, {"entry_type": "I", "title": "Brev", "file": infected}, "multipart"),
        409,
        "conflict",
    )
    assert error["fields"]["file"][0]["code"] == "file_infected"
    assert "x.pdf" in error["fields"]["file"][0]["message"]  # names the file
    refused = AuditEvent.objects.get(object_label="refused upload")
    assert refused.actor == client.token.user
    assert refused.acting_for_id == client.token.organisation_id
    assert refused.details == {
        "refused": "virus",
        "signature": "Test.Marker",
        "case": case.reference,
        "via": "api",
    }
    clean = client.post(
        url,
        {
            "entry_type": "I",
            "title": "Brev",
            "file": SimpleUploadedFile("y.pdf", PDF, "application/pdf"),
        },
        "multipart",
    )
    assert clean.status_code == 201
    assert clean.json()["documents"][0]["scan_status"] == "clean"
    assert case.journal_entries.count() == 2


def test_a_pdf_that_runs_javascript_is_refused_with_the_apis_code(cases, token_client):
    client = token_client("askim", HANDLER)
    url = f"/api/v1/cases/{cases['askim'].id}/journal-entries/"
    script = SimpleUploadedFile("brev.pdf", files.pdf_open_action_javascript(), "application/pdf")
    error = assert_error(
        client.post(url, {"entry_type": "I", "title": "Brev", "file": script}, "multipart"),
        409,
        "conflict",
    )
    assert error["fields"]["file"][0]["code"] == "file_content_not_allowed"
    assert "brev.pdf" in error["fields"]["file"][0]["message"]
    assert cases["askim"].journal_entries.count() == 1
