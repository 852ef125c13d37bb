"""Need to know: confidential case types and offerings keep their cases to the handling
unit's staff (and roles the case type names), everywhere a case is read or acted on, and
breaking the glass gives a named role time-limited, audited access to one case.
(Webhooks: `integrations/tests/test_webhooks.py`.)

The 404s through every door (HTML, API, search, webhooks) for a handler outside the unit
are in the tenant-isolation table (`tests/test_tenant_isolation.py`); this module checks
the rule itself, the demo's setup, the actions and breaking the glass."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvirke.accounts.access import forget_grants
from samvirke.accounts.models import Role
from samvirke.api.services import api_token_create
from samvirke.audit.models import AuditAction, AuditEvent
from samvirke.cases.core.selectors import (
    cases_for_staff,
    cases_in_reach,
    need_to_know_allows,
)
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.handling import services as handling
from samvirke.cases.handling.selectors import assignable_handlers
from samvirke.cases.models import CaseEvent, EmergencyAccess, Outcome, ServiceOffering
from samvirke.cases.tests.factories import new_case, open_case

pytestmark = pytest.mark.django_db

INBOX = reverse("samvirke_case_handling:inbox")
EMERGENCY = reverse("samvirke_case_handling:emergency_access")
REASON = "Akutt henvendelse fra politiet om barnet, barnevernvakten er ikke å nå."


def case_url(case) -> str:
    return reverse("samvirke_case_handling:case", args=[case.pk])


@pytest.fixture
def concern(demo):
    """A child-welfare concern in Askim, handled by Barneverntjenesten."""
    return open_case(demo, form="barnevern-kontakt", title="Bekymringsmelding om et barn")


@pytest.fixture
def home_care(demo):
    """A home-care application in Askim, handled by Helse og omsorg."""
    return open_case(demo, form="hjemmetjenester", title="Søknad om hjemmesykepleie")


# ------------------------------------------------------------ the demo's setup


def test_the_demo_marks_child_welfare_health_ppt_and_social_services_confidential(demo):
    offerings = ServiceOffering.objects.filter(organisation=demo.org["askim"]).select_related(
        "case_type", "form"
    )
    confidential = {o.form.slug for o in offerings if o.case_type.is_confidential}
    assert confidential == {"barnevern-kontakt", "hjemmetjenester", "henvisning-ppt"}
    from samvirke.cases.models import CaseType  # noqa: PLC0415 (one read, this test only)

    assert CaseType.objects.get(slug="sosial").is_confidential
    assert not CaseType.objects.get(slug="standard").is_confidential


def test_the_demo_routes_them_to_the_units_that_handle_them(demo, concern, home_care):
    assert concern.handling_unit.slug == "barnevern"
    assert home_care.handling_unit.slug == "helse-og-omsorg"


def test_seeding_again_moves_an_older_demo_to_the_confidential_types(demo, home_care):
    from samvirke.cases import demo as cases_demo  # noqa: PLC0415 (the loader, this test only)
    from samvirke.cases.models import CaseType  # noqa: PLC0415

    standard = CaseType.objects.get(slug="standard")
    offering = home_care.offering
    offering.case_type = standard
    offering.save(update_fields=["case_type"])
    home_care.case_type = standard
    home_care.save(update_fields=["case_type"])
    cases_demo.load()
    offering.refresh_from_db()
    home_care.refresh_from_db()
    assert offering.case_type.slug == home_care.case_type.slug == "helse-og-omsorg"


# ------------------------------------------------------------ the rule


def test_outside_the_unit_the_case_is_out_of_sight_and_inside_it_is_not(demo, concern, home_care):
    front_desk = demo.user["askim.saksbehandler"]
    child_welfare = demo.user["askim.barnevern"]
    health = demo.user["askim.helse"]
    ordinary = new_case(demo, title="Melding om hull i veien")
    assert set(cases_for_staff(front_desk).filter(pk__in=[concern.pk, home_care.pk])) == set()
    assert cases_for_staff(front_desk).filter(pk=ordinary.pk).exists()
    # the grants alone would reach them: need to know is what hides them
    assert cases_in_reach(front_desk).filter(pk=concern.pk).exists()
    assert list(cases_for_staff(child_welfare).filter(pk__in=[concern.pk, home_care.pk])) == [
        concern
    ]
    assert list(cases_for_staff(health).filter(pk__in=[concern.pk, home_care.pk])) == [home_care]


def test_the_database_filter_and_the_python_rule_agree(demo, concern, home_care):
    ordinary = new_case(demo)
    ppt = new_case(demo, form="henvisning-ppt")  # Askim's PPT sits in Servicetorget
    cases = [concern, home_care, ordinary, ppt]
    for username in ("askim.saksbehandler", "askim.barnevern", "askim.helse", "askim.admin"):
        user = demo.user[username]
        seen = set(cases_for_staff(user).filter(pk__in=[c.pk for c in cases]))
        reached = set(cases_in_reach(user).filter(pk__in=[c.pk for c in cases]))
        assert seen == {c for c in reached if need_to_know_allows(user, c)}, username
    assert ppt in cases_for_staff(demo.user["askim.saksbehandler"])


def test_a_confidential_offering_is_enough(demo):
    offering = ServiceOffering.objects.get(
        organisation=demo.org["askim"], form__slug="melding-til-kommunen"
    )
    case = new_case(demo)
    front_desk = demo.user["askim.saksbehandler"]
    assert cases_for_staff(front_desk).filter(pk=case.pk).exists()
    offering.is_confidential = True
    offering.save(update_fields=["is_confidential"])
    case.handling_unit = demo.org["askim"].units.get(slug="teknisk")
    case.save(update_fields=["handling_unit"])
    assert not cases_for_staff(front_desk).filter(pk=case.pk).exists()


def test_roles_named_on_the_case_type_see_the_cases_too(demo, concern):
    admin = demo.user["askim.admin"]
    assert not cases_for_staff(admin).filter(pk=concern.pk).exists()
    concern.case_type.confidential_roles = [Role.ADMINISTRATOR]
    concern.case_type.save(update_fields=["confidential_roles"])
    assert cases_for_staff(admin).filter(pk=concern.pk).exists()
    # … in the handling organisation only: Spydeberg's administrator does not
    assert not cases_for_staff(demo.user["spydeberg.admin"]).filter(pk=concern.pk).exists()
    # and a role that is not named does not (the case handler's own)
    assert not cases_for_staff(demo.user["askim.saksbehandler"]).filter(pk=concern.pk).exists()


# ------------------------------------------------------------ acting on a case


def test_every_action_is_refused_outside_the_unit(demo, concern):
    front_desk = demo.user["askim.saksbehandler"]
    actions = [
        lambda: handling.case_assign(concern, front_desk, front_desk),
        lambda: handling.case_note_add(concern, "Ser på saken", front_desk),
        lambda: handling.message_to_applicant(concern, "Hei", front_desk),
        lambda: handling.case_status_change(concern, "in_progress", front_desk),
        lambda: handling.case_decide(concern, Outcome.GRANTED, "Innvilget", front_desk),
        lambda: handling.case_close(concern, front_desk),
    ]
    for action in actions:
        with pytest.raises(PermissionDenied):
            action()


def test_the_units_handler_works_normally_and_others_cannot_be_given_the_case(
    demo, concern, client, login
):
    handler = demo.user["askim.barnevern"]
    front_desk = demo.user["askim.saksbehandler"]
    with pytest.raises(ValidationError) as refused:
        handling.case_assign(concern, front_desk, handler)
    assert refused.value.error_dict["assignee"][0].code == CasesErrorCode.ASSIGNEE_CANNOT_SEE_CASE
    handling.case_assign(concern, handler, handler)
    handling.case_note_add(concern, "Undersøkelse startet (test).", handler)
    login(client, handler)
    response = client.get(case_url(concern))
    assert response.status_code == 200
    assert 'data-testid="case-confidential"' in response.content.decode()
    assert str(concern.pk) in client.get(INBOX).content.decode()
    names = [u.username for u in assignable_handlers(concern)]
    assert "askim.barnevern" in names and "askim.saksbehandler" not in names


def test_the_inbox_costs_no_more_queries_with_confidential_cases(demo, client, login):
    login(client, demo.user["askim.saksbehandler"])
    for index in range(3):
        new_case(demo, title=f"Telling {index}")
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX, {"q": "Telling"})
    for index in range(3, 20):
        new_case(demo, title=f"Telling {index}")
        new_case(demo, form="barnevern-kontakt", title=f"Telling {index} (barnevern)")
    with CaptureQueriesContext(connection) as many:
        response = client.get(INBOX, {"q": "Telling"})
    assert "(barnevern)" not in response.content.decode()
    assert len(many) == len(few)


# ------------------------------------------------------------ breaking the glass


def _break(client, demo, case, reason=REASON):
    return client.post(
        EMERGENCY,
        {"organisation": case.organisation_id, "reference": case.reference, "reason": reason},
    )


def test_only_the_emergency_role_finds_the_page(demo, client, login):
    login(client, demo.user["askim.saksbehandler"])
    assert client.get(EMERGENCY).status_code == 404
    assert 'data-testid="emergency-access-link"' not in client.get(INBOX).content.decode()
    login(client, demo.user["askim.vakthavende"])
    assert client.get(EMERGENCY).status_code == 200
    assert 'data-testid="emergency-access-link"' in client.get(INBOX).content.decode()


def test_breaking_the_glass_needs_a_reason(demo, concern, client, login):
    login(client, demo.user["askim.vakthavende"])
    response = _break(client, demo, concern, reason="fordi")
    assert response.status_code == 400
    assert not EmergencyAccess.objects.exists()
    assert client.get(case_url(concern)).status_code == 404


def test_breaking_the_glass_opens_one_case_for_a_while_and_is_audited(
    demo, concern, home_care, client, login
):
    on_duty = demo.user["askim.vakthavende"]
    login(client, on_duty)
    assert client.get(case_url(concern)).status_code == 404
    response = _break(client, demo, concern)
    assert response.status_code == 302 and response["Location"] == case_url(concern)
    page = client.get(case_url(concern))
    assert page.status_code == 200
    # that case only
    assert client.get(case_url(home_care)).status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.actor == on_duty and event.object_id == str(concern.pk)
    assert event.details["reason"] == REASON
    assert event.acting_for_id == concern.handling_organisation_id
    assert CaseEvent.objects.filter(case=concern, kind="emergency_access").exists()
    read = AuditEvent.objects.filter(action=AuditAction.READ, object_id=str(concern.pk)).latest(
        "id"
    )
    assert read.details.get("emergency_access") is True
    document = concern.documents.first()
    url = reverse("samvirke_case_handling:case_document", args=[concern.pk, document.pk])
    assert client.get(url).status_code == 200
    download = AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="cases.document", object_id=str(document.pk)
    )
    assert download.latest("id").details.get("emergency_access") is True
    # the handling unit's handler sees who looked, in the timeline
    login(client, demo.user["askim.barnevern"])
    assert "Vidar Vakthavende" in client.get(case_url(concern)).content.decode()
    # when the time is up, the case is out of sight again
    EmergencyAccess.objects.filter(user=on_duty).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    forget_grants(on_duty)
    login(client, on_duty)
    assert client.get(case_url(concern)).status_code == 404


def test_the_data_protection_officer_filters_the_emergency_accesses(demo, concern, client, login):
    handling.case_emergency_access_open(
        case=concern, actor=demo.user["askim.vakthavende"], reason=REASON
    )
    login(client, demo.user["askim.admin"])
    response = client.get("/admin/audit/", {"action": AuditAction.BREAK_GLASS})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vidar Vakthavende" in body
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert REASON in client.get(f"/admin/audit/{event.pk}/").content.decode()


def test_the_glass_is_no_way_into_another_municipality_or_an_ordinary_case(demo, concern):
    on_duty = demo.user["askim.vakthavende"]
    skiptvet = open_case(demo, municipality="skiptvet", form="barnevern-kontakt")
    with pytest.raises(PermissionDenied):
        handling.case_emergency_access_open(case=skiptvet, actor=on_duty, reason=REASON)
    with pytest.raises(PermissionDenied):
        handling.case_emergency_access_open(
            case=concern, actor=demo.user["askim.saksbehandler"], reason=REASON
        )
    with pytest.raises(ValidationError) as refused:
        handling.case_emergency_access_open(case=new_case(demo), actor=on_duty, reason=REASON)
    assert refused.value.code == CasesErrorCode.EMERGENCY_NOT_CONFIDENTIAL
    assert not EmergencyAccess.objects.exists()


# ------------------------------------------------------------ systems


def test_a_token_sees_confidential_cases_only_with_a_named_role(demo, concern):
    from rest_framework.test import APIClient  # noqa: PLC0415 (API client for this test)

    def get(roles):
        _token, raw = api_token_create(
            actor=None, organisation=demo.org["askim"], name="fagsystem", roles=roles
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client.get(f"/api/v1/cases/{concern.pk}/").status_code

    assert get(["case_handler"]) == 404
    concern.case_type.confidential_roles = [Role.ADMINISTRATOR]
    concern.case_type.save(update_fields=["confidential_roles"])
    assert get(["case_handler", "administrator"]) == 200


# ------------------------------------------------------------ the back office


def test_the_offering_screen_shows_and_sets_the_flag_audited(demo, client, login):
    login(client, demo.user["askim.admin"])
    askim = demo.org["askim"]
    offering = ServiceOffering.objects.get(organisation=askim, form__slug="melding-til-kommunen")
    url = reverse("samvirke_offerings:edit", args=[askim.pk, offering.form_id])
    page = client.get(url)
    assert "(confidential)" in page.content.decode() or "(taushetsbelagt)" in (
        page.content.decode()
    )
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "responsible_unit": offering.responsible_unit_id,
            "case_type": offering.case_type_id,
            "is_confidential": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    offering.refresh_from_db()
    assert offering.is_confidential
    event = AuditEvent.objects.filter(object_id=str(offering.pk)).latest("id")
    assert event.changes["is_confidential"] == [False, True]
