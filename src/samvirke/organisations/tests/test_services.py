"""Services: permission checks, validation codes, and an audit event for every change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samvirke.audit.models import AuditEvent
from samvirke.core.tests import files
from samvirke.organisations import services
from samvirke.organisations.document_pdf import simple_pdf
from samvirke.organisations.models import AreaOfWork, LegalForm

pytestmark = pytest.mark.django_db


def events_for(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def code_of(excinfo) -> str:
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.code


def test_arrangement_create_by_host_admin_is_audited(demo):
    admin = demo.user["askim.admin"]
    arrangement = services.arrangement_create(
        actor=admin,
        region=demo.org["askim"].region,
        name="Felles lønnssystem",
        area=AreaOfWork.objects.get(code="personal-og-lonn"),
        legal_form=LegalForm.AGREEMENT,
        host=demo.org["askim"],
    )
    event = events_for(arrangement).get()
    assert event.action == "create" and event.actor == admin
    assert event.acting_for == demo.org["askim"]
    assert event.changes["name"] == [None, "Felles lønnssystem"]


def test_case_handler_may_not_create_or_change_arrangements(demo):
    user = demo.user["askim.saksbehandler"]
    with pytest.raises(PermissionDenied):
        services.arrangement_create(
            actor=user,
            region=demo.org["askim"].region,
            name="X",
            area=AreaOfWork.objects.get(code="ikt"),
            legal_form=LegalForm.PROJECT,
            host=demo.org["askim"],
        )
    with pytest.raises(PermissionDenied):
        services.arrangement_update(
            actor=user, arrangement=demo.arrangement["smaalensveven"], name="Renamed"
        )


def test_admin_of_another_municipality_may_not_change_the_arrangement(demo):
    # Askim's administrator does not manage the arrangement Spydeberg hosts
    with pytest.raises(PermissionDenied):
        services.arrangement_update(
            actor=demo.user["askim.admin"],
            name="X",
            arrangement=demo.arrangement["ppt-spydeberg-skiptvet-hobol"],
        )


def test_host_unit_must_belong_to_the_host(demo):
    arrangement = demo.arrangement["smaalensveven"]  # hosted by Askim
    spydeberg_unit = demo.org["spydeberg"].units.get(slug="ikt")
    with pytest.raises(ValidationError) as excinfo:
        services.arrangement_update(
            actor=demo.user["region.koordinator"], arrangement=arrangement, host_unit=spydeberg_unit
        )
    assert code_of(excinfo) == "host_unit_other_organisation"


def test_cost_shares_above_100_percent_are_refused(demo):
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    skiptvet = arrangement.participations.get(organisation=demo.org["skiptvet"])
    before = events_for(arrangement).count()
    with pytest.raises(ValidationError) as excinfo:
        services.arrangement_update_participant(
            actor=demo.user["region.koordinator"],
            participation=skiptvet,
            cost_share=Decimal("90"),
        )
    assert code_of(excinfo) == "cost_shares_exceed_100"
    skiptvet.refresh_from_db()
    assert skiptvet.cost_share < Decimal("90")
    assert events_for(arrangement).count() == before


def test_adding_a_participant_twice_is_refused(demo):
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    with pytest.raises(ValidationError) as excinfo:
        services.arrangement_add_participant(
            actor=None, arrangement=arrangement, organisation=demo.org["hobol"]
        )
    assert code_of(excinfo) == "already_participant"


def test_participation_period_must_be_ordered(demo):
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    with pytest.raises(ValidationError) as excinfo:
        services.arrangement_add_participant(
            actor=None,
            arrangement=arrangement,
            organisation=demo.org["askim"],
            starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2023, 1, 1),
        )
    assert code_of(excinfo) == "period_ends_before_start"


def test_add_change_end_and_remove_participant_are_each_audited(demo):
    actor = demo.user["region.koordinator"]
    arrangement = demo.arrangement["smaalensveven"]
    services.arrangement_update(actor=actor, arrangement=arrangement, status="active")  # no-op
    before = events_for(arrangement).count()
    partner = demo.org["ostfold-fylkeskommune"]
    participation = services.arrangement_add_participant(
        actor=actor, arrangement=arrangement, organisation=partner, starts_on=dt.date(2025, 1, 1)
    )
    services.arrangement_update_participant(
        actor=actor, participation=participation, cost_share=Decimal("0")
    )
    services.arrangement_end_participation(
        actor=actor, participation=participation, ends_on=dt.date(2025, 12, 31)
    )
    participation.refresh_from_db()
    assert participation.ends_on == dt.date(2025, 12, 31)
    services.arrangement_remove_participant(actor=actor, participation=participation)
    events = list(events_for(arrangement).order_by("id"))[before:]
    assert len(events) == 4
    assert events[0].changes == {"participants": [None, partner.name]}
    assert list(events[2].changes) == [f"participant:{partner.name}:ends_on"]
    assert events[3].changes == {"participants": [partner.name, None]}
    assert all(e.actor == actor for e in events)


def test_ending_needs_a_date_not_after_the_current_end(demo):
    participation = demo.arrangement["ppt-spydeberg-skiptvet-hobol"].participations.first()
    with pytest.raises(ValidationError) as excinfo:
        services.arrangement_end_participation(
            actor=None, participation=participation, ends_on=None
        )
    assert code_of(excinfo) == "end_date_required"
    services.arrangement_end_participation(
        actor=None, participation=participation, ends_on=dt.date(2030, 6, 30)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.arrangement_end_participation(
            actor=None, participation=participation, ends_on=dt.date(2031, 1, 1)
        )
    assert code_of(excinfo) == "already_ended"


def test_agreement_documents_must_be_pdf_and_are_audited(demo):
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    actor = demo.user["spydeberg.admin"]
    with pytest.raises(ValidationError) as excinfo:
        services.arrangement_add_document(
            actor=actor,
            arrangement=arrangement,
            title="Not a PDF",
            file=SimpleUploadedFile("avtale.pdf", b"<html>hello</html>", "application/pdf"),
        )
    assert code_of(excinfo) == "file_type_not_allowed"
    document = services.arrangement_add_document(
        actor=actor,
        arrangement=arrangement,
        title="Tillegg",
        file=SimpleUploadedFile("tillegg.pdf", simple_pdf(["Tillegg"]), "application/pdf"),
    )
    event = events_for(document).get()
    assert event.action == "create" and event.acting_for == demo.org["spydeberg"]
    with pytest.raises(PermissionDenied):
        services.arrangement_add_document(
            actor=demo.user["askim.admin"],
            arrangement=arrangement,
            title="X",
            file=SimpleUploadedFile("x.pdf", simple_pdf(["x"]), "application/pdf"),
        )


def test_agreement_documents_are_parsed_and_refused_with_scripts_or_embedded_files(demo):
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    actor = demo.user["spydeberg.admin"]
    for content in (files.pdf_open_action_javascript(), files.pdf_embedded_file()):
        with pytest.raises(ValidationError) as excinfo:
            services.arrangement_add_document(
                actor=actor,
                arrangement=arrangement,
                title="Avtale",
                file=SimpleUploadedFile("avtale.pdf", content, "application/pdf"),
            )
        assert code_of(excinfo) == "pdf_not_allowed"
        assert "avtale.pdf" in str(excinfo.value)
    assert not arrangement.documents.filter(title="Avtale").exists()


def test_unit_services_check_organisation_and_cycles(demo):
    admin = demo.user["askim.admin"]
    askim, spydeberg = demo.org["askim"], demo.org["spydeberg"]
    unit = services.unit_create(
        actor=admin, organisation=askim, name="Digitalisering", parent=askim.units.get(slug="ikt")
    )
    assert events_for(unit).get().action == "create"
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=admin, organisation=spydeberg, name="Ikke min")
    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(actor=admin, unit=unit, parent=spydeberg.units.get(slug="ikt"))
    assert code_of(excinfo) == "parent_other_organisation"
    unit.refresh_from_db()  # the refused change left the object as it was in the database
    parent = unit.parent
    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(actor=admin, unit=parent, parent=unit)
    assert code_of(excinfo) == "unit_cycle"
    parent.refresh_from_db()
    services.unit_update(actor=admin, unit=unit, name="Digitalisering og IKT")
    assert events_for(unit).filter(action="update").get().changes["name"] == [
        "Digitalisering",
        "Digitalisering og IKT",
    ]


def test_organisation_update_membership_is_the_regions_decision(demo):
    askim = demo.org["askim"]
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=demo.user["askim.admin"], organisation=askim, is_member=False
        )
    services.organisation_update(
        actor=demo.user["askim.admin"], organisation=askim, phone="69 68 10 00", is_member=True
    )  # unchanged: allowed
    event = events_for(askim).filter(action="update").get()
    assert event.changes == {"phone": ["*", "*"]}  # contact data is not copied into the log
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=demo.user["askim.admin"], organisation=demo.org["spydeberg"], phone="1"
        )


def test_areas_are_the_regional_coordinators(demo):
    with pytest.raises(PermissionDenied):
        services.area_create(actor=demo.user["askim.admin"], code="vann", name="Vann")
    area = services.area_create(
        actor=demo.user["region.koordinator"],
        code="vann",
        name="Vann og avløp",
        names={"en": "Water"},
    )
    services.area_update(
        actor=demo.user["region.koordinator"],
        area=area,
        names={"en": "Water and sewage", "sv": "Vatten"},
    )
    assert [e.action for e in events_for(area).order_by("id")] == ["create", "update"]
    with pytest.raises(ValidationError):
        services.area_create(actor=demo.user["region.koordinator"], code="vann", name="Igjen")
