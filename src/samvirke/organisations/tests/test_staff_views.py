"""The back-office screens, each as the user who works with it: GET and POST, buttons by
permission, errors kept on the form, tenant isolation answered with 404, and no N+1."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samvirke.audit.models import AuditEvent
from samvirke.organisations import services
from samvirke.organisations.document_pdf import simple_pdf
from samvirke.organisations.models import AreaOfWork, CooperationArrangement, LegalForm, Unit

pytestmark = pytest.mark.django_db

PPT = "ppt-spydeberg-skiptvet-hobol"
SPYDEBERG_ONLY = "spydeberg-sak-arkiv"


def url(name, *args):
    return reverse(f"samvirke_cooperation:{name}", args=args)


def html(response) -> str:
    return response.content.decode()


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in the back office with a redirect to its home."""
    location = response.get("Location", "")
    return response.status_code in (302, 403) and "/cooperation/" not in location


# --- arrangements ---------------------------------------------------------------------


def test_arrangement_list_is_scoped_filtered_and_paginated(staff_client, demo):
    client = staff_client("askim.saksbehandler")
    response = client.get(url("arrangement_index"))
    assert response.status_code == 200
    page = html(response)
    assert "Smaalensveven" in page and "PPT for Spydeberg, Skiptvet og Hobøl" in page
    assert "anskaffelse av nytt sak-/arkivsystem" not in page  # Spydeberg's own project
    assert url("arrangement_create") not in page  # a case handler creates nothing

    page = html(client.get(url("arrangement_index"), {"area": "ppt"}))
    assert "PPT for Eidsberg" in page and "Smaalensveven" not in page
    page = html(
        client.get(
            url("arrangement_index"),
            {"organisation": demo.org["marker"].pk, "legal_form": "host_municipality"},
        )
    )
    assert "Arbeidsgiverkontroll" in page and "Ledningskartverk" not in page
    page = html(client.get(url("arrangement_index"), {"q": "renovasjon", "status": "active"}))
    assert "IØR – renovasjon" in page and "Smaalensveven" not in page

    region = demo.org["askim"].region
    for n in range(30):
        services.arrangement_create(
            region=region,
            name=f"Prosjekt {n:02d}",
            host=demo.org["askim"],
            area=AreaOfWork.objects.get(code="kultur"),
            legal_form=LegalForm.PROJECT,
        )
    first = html(client.get(url("arrangement_index"), {"area": "kultur"}))
    second = html(client.get(url("arrangement_index"), {"area": "kultur", "p": 2}))
    assert "Prosjekt 00" in first and "Prosjekt 29" not in first
    assert "Prosjekt 29" in second and "area=kultur&amp;p=1" in second


def test_arrangement_list_queries_do_not_grow_with_rows(
    staff_client, demo, django_assert_max_num_queries
):
    client = staff_client("region.koordinator")
    client.get(url("arrangement_index"))  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as before:
        client.get(url("arrangement_index"))
    region = demo.org["askim"].region
    for n in range(8):
        arrangement = services.arrangement_create(
            region=region,
            name=f"Ekstra {n}",
            host=demo.org["askim"],
            area=AreaOfWork.objects.get(code="kultur"),
            legal_form=LegalForm.AGREEMENT,
        )
        for slug in ("skiptvet", "hobol", "marker"):
            services.arrangement_add_participant(
                arrangement=arrangement, organisation=demo.org[slug]
            )
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url("arrangement_index"))
    assert "Ekstra 7" in html(response)


def test_arrangement_detail_shows_participants_shares_documents_and_history(staff_client, demo):
    arrangement = demo.arrangement[PPT]
    response = staff_client("spydeberg.admin").get(url("arrangement_detail", arrangement.pk))
    assert response.status_code == 200
    page = html(response)
    for name in (
        "Spydeberg kommune",
        "Skiptvet kommune",
        "Hobøl kommune",
        "PPT for Spydeberg, Skiptvet og Hobøl",
        "Samarbeidsavtale",
    ):
        assert name in page
    total = sum(p.cost_share for p in arrangement.participations.all())
    assert total > 99
    assert f"<td>{str(total).replace('.', ',')}</td>" in page  # bokmål: decimal comma
    assert "2003-01-01" in page
    assert url("arrangement_edit", arrangement.pk) in page  # the host's administrator may edit
    assert "History" in page or "Historikk" in page
    # a participant's case handler sees it, without the buttons
    page = html(
        staff_client("skiptvet.saksbehandler").get(url("arrangement_detail", arrangement.pk))
    )
    assert "Samarbeidsavtale" in page and url("arrangement_edit", arrangement.pk) not in page


def test_create_arrangement_keeps_input_and_shows_errors_then_succeeds(staff_client, demo):
    client = staff_client("askim.admin")
    page = html(client.get(url("arrangement_create")))
    # the host can only be Askim, so only Askim's units are offered as host unit
    assert "IKT-tjenesten" in page and "PPT for Spydeberg" not in page
    ikt = AreaOfWork.objects.get(code="ikt")
    data = {
        "name": "Felles e-postplattform",
        "area": ikt.pk,
        "legal_form": "agreement",
        "host": demo.org["askim"].pk,
        "status": "planned",
        "services": "E-post\nKalender",
        "host_unit": demo.org["spydeberg"].units.get(slug="ikt").pk,
    }
    response = client.post(url("arrangement_create"), data)
    assert response.status_code == 200
    page = html(response)
    assert 'role="alert"' in page and 'href="#id_host_unit"' in page
    assert 'value="Felles e-postplattform"' in page
    assert not CooperationArrangement.objects.filter(name="Felles e-postplattform").exists()

    data["host_unit"] = demo.org["askim"].units.get(slug="ikt").pk
    response = client.post(url("arrangement_create"), data)
    arrangement = CooperationArrangement.objects.get(name="Felles e-postplattform")
    assert response.status_code == 302
    assert response["Location"] == url("arrangement_detail", arrangement.pk)
    assert arrangement.host == demo.org["askim"] and arrangement.status == "planned"
    assert AuditEvent.objects.filter(
        object_type="organisations.cooperationarrangement",
        object_id=str(arrangement.pk),
        action="create",
    ).exists()


def test_case_handler_cannot_create_or_edit_arrangements(staff_client, demo):
    client = staff_client("askim.saksbehandler")
    assert refused(client.get(url("arrangement_create")))
    arrangement = demo.arrangement["smaalensveven"]
    response = client.post(url("arrangement_edit", arrangement.pk), {"name": "Overtatt"})
    assert refused(response)
    arrangement.refresh_from_db()
    assert arrangement.name == "Smaalensveven"


def test_edit_arrangement_as_host_administrator(staff_client, demo):
    arrangement = demo.arrangement[PPT]
    client = staff_client("spydeberg.admin")
    page = html(client.get(url("arrangement_edit", arrangement.pk)))
    assert f'value="{arrangement.name}"' in page
    assert "Barneverntjenesten" in page  # a Spydeberg unit
    response = client.post(
        url("arrangement_edit", arrangement.pk),
        {
            "name": arrangement.name,
            "area": arrangement.area_id,
            "legal_form": "host_municipality",
            "host": arrangement.host_id,
            "host_unit": arrangement.host_unit_id,
            "status": "active",
            "cost_key": "Etter folketall og bruk",
            "is_public": "on",
            "description": "",
            "services": "Sakkyndige vurderinger",
            "established_on": "2003-01-01",
        },
    )
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.cost_key == "Etter folketall og bruk"
    event = AuditEvent.objects.filter(
        object_id=str(arrangement.pk), object_type="organisations.cooperationarrangement"
    ).first()
    assert event.changes["cost_key"] == ["Etter folketall", "Etter folketall og bruk"]


def test_participants_add_change_end_remove(staff_client, demo):
    arrangement = demo.arrangement[PPT]
    client = staff_client("spydeberg.admin")
    askim = demo.org["askim"]

    response = client.post(
        url("participant_add", arrangement.pk),
        {"organisation": askim.pk, "starts_on": "2026-01-01", "cost_share": "10"},
    )
    assert response.status_code == 200  # 100 % is already shared out
    assert "100 %" in html(response) and 'href="#id_cost_share"' in html(response)
    assert 'value="2026-01-01"' in html(response)

    response = client.post(
        url("participant_add", arrangement.pk),
        {"organisation": askim.pk, "starts_on": "2026-01-01"},
    )
    assert response.status_code == 302
    participation = arrangement.participations.get(organisation=askim)

    response = client.post(
        url("participant_change", arrangement.pk, participation.pk),
        {"starts_on": "2026-02-01", "cost_share": "0"},
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert str(participation.starts_on) == "2026-02-01" and participation.cost_share == 0

    response = client.post(
        url("participant_end", arrangement.pk, participation.pk), {"ends_on": "2025-01-01"}
    )
    assert response.status_code == 200 and "#id_ends_on" in html(response)
    response = client.post(
        url("participant_end", arrangement.pk, participation.pk), {"ends_on": "2026-12-31"}
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert str(participation.ends_on) == "2026-12-31"

    remove = url("participant_remove", arrangement.pk, participation.pk)
    assert client.get(remove).status_code == 200
    response = client.post(url("participant_remove", arrangement.pk, participation.pk))
    assert response.status_code == 302
    assert not arrangement.participations.filter(organisation=askim).exists()
    history = html(client.get(url("arrangement_detail", arrangement.pk)))
    assert "Askim kommune" in history  # the history shows the participant came and went


def test_participation_of_another_arrangement_answers_404(staff_client, demo):
    other = demo.arrangement["smaalensveven"].participations.first()
    client = staff_client("region.koordinator")
    response = client.get(url("participant_change", demo.arrangement[PPT].pk, other.pk))
    assert response.status_code == 404


def test_upload_pdf_and_download_it(staff_client, demo):
    arrangement = demo.arrangement[PPT]
    client = staff_client("spydeberg.admin")
    response = client.post(
        url("document_upload", arrangement.pk),
        {
            "title": "Ikke PDF",
            "file": SimpleUploadedFile("a.pdf", b"GIF89a...", "application/pdf"),
        },
    )
    assert response.status_code == 200 and "PDF" in html(response)
    assert 'value="Ikke PDF"' in html(response)
    body = simple_pdf(["Tilleggsavtale 2026"])
    response = client.post(
        url("document_upload", arrangement.pk),
        {
            "title": "Tilleggsavtale 2026",
            "file": SimpleUploadedFile("tillegg.pdf", body),
        },
    )
    assert response.status_code == 302
    document = arrangement.documents.get(title="Tilleggsavtale 2026")
    response = staff_client("hobol.koordinator").get(url("document_download", document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


# --- tenant isolation through HTML ----------------------------------------------------


def test_askim_case_handler_gets_404_for_spydeberg_only_things(staff_client, demo):
    spydeberg_only = demo.arrangement[SPYDEBERG_ONLY]
    document = services.arrangement_add_document(
        actor=None,
        arrangement=spydeberg_only,
        title="Kravspesifikasjon",
        file=SimpleUploadedFile("krav.pdf", simple_pdf(["Krav"])),
    )
    ppt_document = demo.arrangement[PPT].documents.get()
    hidden_unit = demo.org["spydeberg"].units.get(slug="personal-og-lonn")
    participation = spydeberg_only.participations.get()

    client = staff_client("askim.saksbehandler")
    for path in (
        url("arrangement_detail", spydeberg_only.pk),
        url("arrangement_edit", spydeberg_only.pk),
        url("participant_add", spydeberg_only.pk),
        url("participant_change", spydeberg_only.pk, participation.pk),
        url("document_upload", spydeberg_only.pk),
        url("document_download", document.pk),
        url("document_download", ppt_document.pk),
        url("unit_detail", hidden_unit.pk),
        url("unit_edit", hidden_unit.pk),
    ):
        assert client.get(path).status_code == 404, path
    # and the register's drill-down does not list it
    page = html(client.get(url("register_cell", demo.org["spydeberg"].pk, "ikt")))
    assert "sak-/arkivsystem" not in page
    # the same pages open for Spydeberg's own staff
    own = staff_client("spydeberg.ppt")
    assert own.get(url("arrangement_detail", spydeberg_only.pk)).status_code == 200
    assert own.get(url("document_download", document.pk)).status_code == 200
    assert own.get(url("unit_detail", hidden_unit.pk)).status_code == 200


# --- organisations, units and areas ---------------------------------------------------


def test_organisation_list_by_kind_and_detail_with_unit_tree(
    staff_client, demo, django_assert_max_num_queries
):
    client = staff_client("askim.saksbehandler")
    client.get(url("organisation_index"))
    with django_assert_max_num_queries(25):
        page = html(client.get(url("organisation_index")))
    assert "Askim kommune" in page and "Indre Østfold Renovasjon IKS (IØR)" in page
    assert page.index("Askim kommune") < page.index("Indre Østfold Renovasjon IKS (IØR)")
    spydeberg = demo.org["spydeberg"]
    page = html(client.get(url("organisation_detail", spydeberg.pk)))
    assert "PPT for Spydeberg, Skiptvet og Hobøl" in page and "Rådmannens kontor" in page
    assert "Personal og lønn" not in page  # Spydeberg's non-public unit
    assert url("organisation_edit", spydeberg.pk) not in page
    assert url("unit_create", spydeberg.pk) not in page


def test_administrator_edits_own_organisation_and_units(staff_client, demo):
    askim = demo.org["askim"]
    client = staff_client("askim.admin")
    page = html(client.get(url("organisation_detail", askim.pk)))
    assert url("organisation_edit", askim.pk) in page and url("unit_create", askim.pk) in page
    page = html(client.get(url("organisation_edit", askim.pk)))
    assert 'name="is_member"' not in page  # membership is the region's decision
    response = client.post(
        url("organisation_edit", askim.pk),
        {
            "name": "Askim kommune",
            "number": "0124",
            "population": "15000",
            "website": "https://askim.localhost:8000/",
            "email": "postmottak@askim.kommune.invalid",
        },
    )
    assert response.status_code == 302
    askim.refresh_from_db()
    assert askim.population == 15000 and askim.is_member
    response = client.post(url("organisation_edit", askim.pk), {"name": "Askim", "number": "12"})
    assert response.status_code == 200 and 'href="#id_number"' in html(response)

    ikt = askim.units.get(slug="ikt")
    response = client.post(
        url("unit_create", askim.pk),
        {
            "name": "Digitaliseringsteamet",
            "parent": ikt.pk,
            "is_public": "on",
            "area": AreaOfWork.objects.get(code="ikt").pk,
        },
    )
    assert response.status_code == 302
    unit = askim.units.get(name="Digitaliseringsteamet")
    assert unit.parent == ikt
    response = client.post(url("unit_edit", ikt.pk), {"name": "IKT-tjenesten", "parent": unit.pk})
    assert response.status_code == 200 and "#id_parent" in html(response)  # a cycle
    response = client.post(url("unit_edit", unit.pk), {"name": "Digitalisering", "parent": ikt.pk})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Digitalisering" and not unit.is_public

    spydeberg = demo.org["spydeberg"]
    assert refused(client.get(url("unit_create", spydeberg.pk)))
    assert refused(client.get(url("organisation_edit", spydeberg.pk)))
    assert refused(client.get(url("unit_edit", spydeberg.units.get(slug="ikt").pk)))


def test_regional_coordinator_edits_areas_in_four_languages(
    staff_client, demo, django_assert_max_num_queries
):
    client = staff_client("region.koordinator")
    client.get(url("area_index"))
    with django_assert_max_num_queries(25):
        page = html(client.get(url("area_index")))
    assert "Förskola" in page and "Kindergarten" in page and url("area_create") in page
    area = AreaOfWork.objects.get(code="bibliotek")
    response = client.post(
        url("area_edit", area.pk),
        {
            "name": "Bibliotek",
            "name_nn": "Bibliotek",
            "name_sv": "Bibliotek",
            "name_en": "Libraries",
            "position": "3",
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.names["en"] == "Libraries"
    response = client.post(
        url("area_create"),
        {"code": "vann", "name": "Vann og avløp", "name_en": "Water", "position": ""},
    )
    assert response.status_code == 302
    assert AreaOfWork.objects.get(code="vann").names == {"en": "Water"}
    response = client.post(url("area_create"), {"code": "vann", "name": "Igjen"})
    assert response.status_code == 200 and 'href="#id_code"' in html(response)

    admin = staff_client("askim.admin")
    page = html(admin.get(url("area_index")))
    assert url("area_create") not in page
    assert refused(admin.post(url("area_edit", area.pk), {"name": "X"}))


# --- the register ---------------------------------------------------------------------


def test_register_matrix_is_an_accessible_table_with_drill_down(
    staff_client, demo, django_assert_max_num_queries
):
    client = staff_client("region.koordinator")
    client.get(url("register"))
    with django_assert_max_num_queries(25):
        response = client.get(url("register"))
    page = html(response)
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
    assert url("register_csv") in page
    spydeberg = demo.org["spydeberg"]
    cell = url("register_cell", spydeberg.pk, "ppt")
    assert cell in page
    page = html(client.get(cell))
    assert "PPT for Spydeberg, Skiptvet og Hobøl" in page
    assert url("arrangement_detail", demo.arrangement[PPT].pk) in page
    assert client.get(url("register_cell", spydeberg.pk, "no-such-area")).status_code == 404


def test_register_csv_has_one_row_per_participant_with_bom(
    staff_client, demo, django_assert_max_num_queries
):
    client = staff_client("region.koordinator")
    with django_assert_max_num_queries(25):
        response = client.get(url("register_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert len(rows[0]) == 11
    ppt = [r for r in rows[1:] if r[0] == "PPT for Spydeberg, Skiptvet og Hobøl"]
    assert {r[5] for r in ppt} == {"Spydeberg kommune", "Skiptvet kommune", "Hobøl kommune"}
    assert {r[3] for r in ppt} == {"Spydeberg kommune"}
    assert {r[4] for r in ppt} == {"PPT for Spydeberg, Skiptvet og Hobøl"}
    hobol = next(r for r in ppt if r[5] == "Hobøl kommune")
    assert hobol[6] == "0138" and hobol[7] == "2003-01-01" and hobol[8] == ""
    assert Decimal(hobol[9]) > 0
    assert sum(Decimal(r[9]) for r in ppt) == sum(
        p.cost_share for p in demo.arrangement[PPT].participations.all()
    )
    # the coordinator sees Spydeberg's internal project; Askim's case handler does not
    assert any(r[0].startswith("Spydeberg: anskaffelse") for r in rows)
    rows = list(
        csv.reader(
            io.StringIO(
                staff_client("askim.saksbehandler").get(url("register_csv")).content.decode()[1:]
            )
        )
    )
    assert not any(r[0].startswith("Spydeberg: anskaffelse") for r in rows)
    total = sum(
        max(1, CooperationArrangement.objects.get(name=name).participations.count())
        for name in {r[0] for r in rows[1:]}
    )
    assert len(rows) - 1 == total


def test_menu_shows_cooperation_to_staff(staff_client, demo):
    page = html(staff_client("askim.saksbehandler").get(url("register")))
    assert "cooperation-register" in page  # the submenu item in the sidebar's data
    assert "audit-log" not in page  # a case handler has no audit log


def test_unit_created_for_test_is_hidden(demo):
    assert not Unit.objects.filter(name="Digitaliseringsteamet").exists()
