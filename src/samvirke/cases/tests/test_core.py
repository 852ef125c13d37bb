"""The service square's core: routing as data, case numbers, the workflow and its deadline
clock, the journal's screening, PDF/A rendering, and who sees which case."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from samvirke.cases.core.selectors import cases_for_staff, route_for
from samvirke.cases.core.services import case_open, case_status_move
from samvirke.cases.core.workflow import STANDARD_WORKFLOW, workflow_problems
from samvirke.cases.documents.services import render_pdfa
from samvirke.cases.journal.services import journal_entry_create
from samvirke.cases.journal.titles import screen_title
from samvirke.cases.models import EntryType, RoutingRule, ServiceOffering

pytestmark = pytest.mark.django_db


def offering(demo, municipality: str, form: str) -> ServiceOffering:
    return ServiceOffering.objects.select_related("form", "case_type").get(
        organisation=demo.org[municipality], form__slug=form
    )


def test_ppt_referral_from_skiptvet_goes_to_spydebergs_ppt_unit(demo):
    route = route_for(offering(demo, "skiptvet", "henvisning-ppt"), {})
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    assert route.handling_organisation_id == demo.org["spydeberg"].pk
    assert route.handling_unit == arrangement.host_unit
    assert route.via_arrangement == arrangement


def test_a_message_goes_to_the_municipalitys_own_unit(demo):
    route = route_for(offering(demo, "askim", "melding-til-kommunen"), {})
    assert route.handling_organisation_id == demo.org["askim"].pk
    assert route.via_arrangement is None


def test_a_rule_with_a_condition_on_the_answers_wins_when_it_holds(demo):
    target = demo.org["askim"].units.get(slug="teknisk")
    RoutingRule.objects.create(
        organisation=demo.org["askim"],
        condition={"field": "topic", "equals": "road"},
        target_unit=target,
        priority=1,
    )
    service = offering(demo, "askim", "melding-til-kommunen")
    assert route_for(service, {"topic": "road"}).handling_unit == target
    assert route_for(service, {"topic": "school"}).handling_unit != target


def test_an_ended_participation_no_longer_routes_through_the_arrangement(demo):
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    participation = arrangement.participations.get(organisation=demo.org["skiptvet"])
    participation.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    participation.save()
    service = offering(demo, "skiptvet", "henvisning-ppt")
    service.responsible_unit = None
    service.save()
    with pytest.raises(ValidationError):
        route_for(service, {})


def open_case(demo, municipality="skiptvet", form="henvisning-ppt", title="Henvisning - Kari"):
    service = offering(demo, municipality, form)
    return case_open(
        offering=service, route=route_for(service, {}), title=title, protected=["Kari"]
    )


def test_cases_are_numbered_per_owning_municipality_and_screened(demo):
    first, second = open_case(demo), open_case(demo)
    assert second.sequence == first.sequence + 1
    assert first.reference == f"{first.year}/{first.sequence:05d}"
    assert first.organisation == demo.org["skiptvet"]
    assert first.public_title == "Henvisning - *****"  # PPT cases are screened
    assert first.deadline == timezone.localdate() + datetime.timedelta(days=90)


def test_the_deadline_clock_stands_still_while_waiting_for_the_applicant(demo):
    case = open_case(demo)
    deadline = case.deadline
    case = case_status_move(case=case, to_status="awaiting_information", actor=None)
    assert case.paused_at is not None
    case.paused_at -= datetime.timedelta(days=5)
    case.save()
    case = case_status_move(case=case, to_status="in_progress", actor=None)
    assert case.paused_days == 5
    assert case.deadline == deadline + datetime.timedelta(days=5)


def test_only_declared_transitions_are_allowed(demo):
    case = case_status_move(case=open_case(demo), to_status="closed", actor=None)
    assert case.closed_at is not None
    with pytest.raises(ValidationError) as error:
        case_status_move(case=case, to_status="received", actor=None)
    assert error.value.code == "transition_not_allowed"


def test_workflow_definitions_are_checked():
    assert workflow_problems(STANDARD_WORKFLOW) == []
    broken = {**STANDARD_WORKFLOW, "initial": "nowhere"}
    assert workflow_problems(broken)
    assert workflow_problems({"statuses": []})


def test_journal_entries_number_and_screen(demo):
    case = open_case(demo)
    entry = journal_entry_create(
        case=case,
        entry_type=EntryType.INCOMING,
        title="Henvisning til PPT - Kari Nordmann",
        protected=["Kari Nordmann"],
        parties=[{"role": "sender", "name": "Kari Nordmann", "kind": "person"}],
    )
    assert entry.public_title == "Henvisning til PPT - *****"
    assert entry.is_screened and entry.organisation == demo.org["skiptvet"]
    assert entry.reference == f"{case.reference}-1"
    assert screen_title("Søknad fra Ola i Storgata 1", ["Ola", "Storgata 1"]) == (
        "Søknad fra ***** i *****"
    )


def test_who_sees_a_case(demo):
    case = open_case(demo)
    assert cases_for_staff(demo.user["spydeberg.ppt"]).filter(pk=case.pk).exists()
    assert not cases_for_staff(demo.user["skiptvet.saksbehandler"]).filter(pk=case.pk).exists()
    assert not cases_for_staff(demo.user["askim.saksbehandler"]).filter(pk=case.pk).exists()
    own = open_case(demo, "askim", "melding-til-kommunen", "Melding")
    assert cases_for_staff(demo.user["askim.saksbehandler"]).filter(pk=own.pk).exists()


def test_pdfs_are_pdf_a(demo, tmp_path):
    content = render_pdfa("cases/pdf/base.html", {"organisation": demo.org["askim"]}, language="en")
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    reader = PdfReader(path)
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="2"' in metadata
    assert "/OutputIntents" in reader.trailer["/Root"]
