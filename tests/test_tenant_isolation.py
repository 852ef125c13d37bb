"""Tenant isolation, module by module, in one table.

For every model that holds tenant data, a user of Askim asks for Spydeberg's object by id
through the HTML screens and the API, and must get 404 — never 403, which would confirm
that the object exists. A guard test makes sure a new model with tenant data cannot be
added without a row here (or a stated reason why it has none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import models
from rest_framework.test import APIClient

from samvirke.api.services import api_token_create
from samvirke.audit.models import AuditEvent
from samvirke.organisations.models import (
    AgreementDocument,
    CooperationArrangement,
    Organisation,
    Participation,
    Unit,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Probe:
    """Spydeberg's object, the Askim user who asks for it, and where they ask."""

    asker: str
    find: Callable[[object], models.Model]
    html: tuple[str, ...] = ()
    api: tuple[str, ...] = ()


def _arrangement(demo):
    return demo.arrangement["spydeberg-sak-arkiv"]  # non-public, Spydeberg only


def _participation(demo):
    return Participation.objects.get(arrangement=_arrangement(demo))


def _document(demo):
    # the PPT agreement: Spydeberg, Skiptvet and Hobøl only, not public
    return AgreementDocument.objects.get(
        arrangement=demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    )


def _unit(demo):
    return Unit.objects.get(organisation=demo.org["spydeberg"], slug="personal-og-lonn")


def _event(demo):
    return AuditEvent.objects.filter(acting_for=demo.org["spydeberg"]).first()


def _staff_user(demo):
    return demo.user["spydeberg.ppt"]


def _case(demo):
    from samvirke.cases.models import Case

    # a Spydeberg case handled by Spydeberg itself (the demo has some in every municipality)
    return Case.objects.filter(
        organisation=demo.org["spydeberg"], handling_organisation=demo.org["spydeberg"]
    ).first()


def _case_document(demo):
    from samvirke.cases.models import Document

    return Document.objects.filter(
        organisation=demo.org["spydeberg"], case__handling_organisation=demo.org["spydeberg"]
    ).first()


def _journal_entry(demo):
    from samvirke.cases.models import JournalEntry

    return JournalEntry.objects.filter(case=_case(demo)).first()


def _offering(demo):
    from samvirke.cases.models import ServiceOffering

    return ServiceOffering.objects.filter(organisation=demo.org["spydeberg"]).first()


def _routing_rule(demo):
    from samvirke.cases.models import RoutingRule
    from samvirke.eservices.models import FormDefinition

    rule = RoutingRule.objects.filter(
        organisation=demo.org["spydeberg"], via_arrangement__isnull=False
    ).first()
    rule.probe_form_id = FormDefinition.objects.get(slug="henvisning-ppt").pk  # its form page
    return rule


def _neighbour_notification(demo):
    from samvirke.neighbours.models import NeighbourNotification
    from samvirke.neighbours.tests.factories import applicant, building_application

    submission = building_application(demo, applicant(), municipality="spydeberg")
    return NeighbourNotification.objects.get(submission=submission)


def _webhook(demo):
    from samvirke.integrations.models import WebhookSubscription

    return WebhookSubscription.objects.create(
        organisation=demo.org["spydeberg"],
        url="https://sak.spydeberg.example.invalid/hooks",
        events=["case.status_changed"],
        secret="probe-secret-not-used",
    )


PROBES: dict[str, Probe] = {
    "organisations.cooperationarrangement": Probe(
        asker="askim.saksbehandler",
        find=_arrangement,
        html=(
            "/admin/cooperation/arrangements/{o.pk}/",
            "/admin/cooperation/arrangements/{o.pk}/edit/",
            "/cooperation/arrangements/{o.slug}/",
        ),
        api=(
            "/api/v1/arrangements/{o.pk}/",
            "/api/v1/arrangements/{o.pk}/participants/",
            "/api/v1/arrangements/{o.pk}/documents/",
        ),
    ),
    "organisations.participation": Probe(
        asker="askim.saksbehandler",
        find=_participation,
        html=("/admin/cooperation/arrangements/{o.arrangement_id}/participants/{o.pk}/",),
        api=("/api/v1/arrangements/{o.arrangement_id}/participants/{o.pk}/",),
    ),
    "organisations.agreementdocument": Probe(
        asker="askim.saksbehandler",
        find=_document,
        html=(
            "/admin/cooperation/documents/{o.pk}/",
            "/cooperation/documents/{o.pk}/",
        ),
        api=("/api/v1/arrangements/{o.arrangement_id}/documents/{o.pk}/",),
    ),
    "organisations.unit": Probe(
        asker="askim.saksbehandler",
        find=_unit,
        html=("/admin/cooperation/units/{o.pk}/", "/admin/cooperation/units/{o.pk}/edit/"),
        api=("/api/v1/units/{o.pk}/",),
    ),
    "audit.auditevent": Probe(
        asker="askim.admin",  # may read Askim's audit log, not Spydeberg's
        find=_event,
        html=("/admin/audit/{o.pk}/",),
        api=("/api/v1/audit-events/{o.pk}/",),
    ),
    "accounts.user": Probe(
        asker="askim.admin",  # manages Askim's staff, not Spydeberg's
        find=_staff_user,
        html=(
            "/admin/staff/{demo.org[askim].pk}/{o.pk}/",
            "/admin/staff/{demo.org[spydeberg].pk}/{o.pk}/",
        ),
    ),
    "cases.case": Probe(
        asker="askim.saksbehandler",
        find=_case,
        html=("/admin/cases/{o.pk}/", "/admin/cases/{o.pk}/screening/"),
        api=(
            "/api/v1/cases/{o.pk}/",
            "/api/v1/cases/{o.pk}/journal-entries/",
        ),
    ),
    "cases.document": Probe(
        asker="askim.saksbehandler",
        find=_case_document,
        html=("/admin/cases/{o.case_id}/documents/{o.pk}/",),
        api=("/api/v1/cases/{o.case_id}/documents/{o.pk}/download/",),
    ),
    "cases.journalentry": Probe(
        asker="askim.saksbehandler",
        find=_journal_entry,
        html=("/admin/cases/{o.case_id}/journal/{o.pk}/screening/",),
    ),
    "cases.serviceoffering": Probe(
        asker="askim.admin",  # switches Askim's e-services on, not Spydeberg's
        find=_offering,
        html=(
            "/admin/service-offerings/{o.organisation_id}/",
            "/admin/service-offerings/{o.organisation_id}/forms/{o.form_id}/",
        ),
    ),
    "cases.routingrule": Probe(
        asker="askim.admin",
        find=_routing_rule,
        html=(
            "/admin/service-offerings/{o.organisation_id}/forms/{o.probe_form_id}/rules/{o.pk}/",
        ),
    ),
    "neighbours.neighbournotification": Probe(
        asker="askim.saksbehandler",
        find=_neighbour_notification,
        html=("/admin/neighbour-notices/{o.pk}/",),
    ),
    "integrations.webhooksubscription": Probe(
        asker="askim.admin",
        find=_webhook,
        api=("/api/v1/webhooks/{o.pk}/", "/api/v1/webhooks/{o.pk}/deliveries/"),
    ),
}

# Models with an organisation that have no per-object page, each with the reason.
NO_OBJECT_PAGES = {
    "organisations.organisation": "organisations are public facts (name, number, kind)",
    "organisations.areaofwork": "areas of work are the region's shared list, public",
    "organisations.region": "the region is public",
    "accounts.membership": "shown and changed only through the user's page (accounts.user)",
    "accounts.roleassignment": "shown and changed only through the user's page (accounts.user)",
    "accounts.citizenidentity": "no page takes its id; a citizen reads only their own",
    "api.apitoken": "no page or endpoint exposes a token by id",
    # portal pages are public content; editing them is guarded by Wagtail's page
    # permissions per site tree (portal/tests/test_editors.py: 302/403 in the admin)
    "portal.homepage": "public page; edits guarded by page permissions (test_editors.py)",
    "portal.servicepage": "public page; edits guarded by page permissions (test_editors.py)",
    "cases.numberseries": "a counter; no page or endpoint shows it",
}


def _tenant_models() -> set[str]:
    """Our models that point at an organisation, a unit or an arrangement."""
    anchors = {Organisation, Unit, CooperationArrangement}
    labels = set()
    for model in apps.get_models():
        if not model.__module__.startswith("samvirke."):
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one and field.related_model in anchors:
                labels.add(model._meta.label_lower)
    labels |= {"organisations.organisation", "organisations.unit"}
    labels.add("accounts.user")  # staff users belong to organisations through memberships
    return labels


def test_every_model_with_tenant_data_is_probed_or_exempt():
    missing = _tenant_models() - set(PROBES) - set(NO_OBJECT_PAGES)
    assert not missing, f"Add a tenant-isolation probe for: {sorted(missing)}"


def _fill(template: str, obj, demo) -> str:
    return template.format(o=obj, demo=demo)


@pytest.mark.parametrize("label", sorted(PROBES))
def test_html_answers_404_for_another_municipalitys_object(label, demo, client, login):
    probe = PROBES[label]
    obj = probe.find(demo)
    assert obj is not None
    login(client, demo.user[probe.asker])
    for template in probe.html:
        url = _fill(template, obj, demo)
        response = client.get(url)
        assert response.status_code == 404, f"{url} answered {response.status_code}"


@pytest.mark.parametrize("label", sorted(label for label, p in PROBES.items() if p.api))
@pytest.mark.parametrize("auth", ["session", "token"])
def test_api_answers_404_for_another_municipalitys_object(label, auth, demo, login):
    probe = PROBES[label]
    obj = probe.find(demo)
    client = APIClient()
    if auth == "session":
        login(client, demo.user[probe.asker])
    else:
        role = "administrator" if probe.asker.endswith(".admin") else "case_handler"
        _token, raw = api_token_create(
            actor=None, organisation=demo.org["askim"], name="isolation probe", roles=[role]
        )
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    for template in probe.api:
        url = _fill(template, obj, demo)
        response = client.get(url)
        assert response.status_code == 404, f"{url} answered {response.status_code}"
        assert response.json()["error"]["code"] == "not_found"


def test_the_host_sees_what_others_cannot(demo, client, login):
    """The same ids answer for Spydeberg's own staff: the 404s above are isolation, not
    broken pages."""
    login(client, demo.user["spydeberg.admin"])
    arrangement = _arrangement(demo)
    assert client.get(f"/admin/cooperation/arrangements/{arrangement.pk}/").status_code == 200
    assert client.get(f"/api/v1/arrangements/{arrangement.pk}/").status_code == 200
    assert client.get(f"/admin/cooperation/units/{_unit(demo).pk}/").status_code == 200
    assert client.get(f"/api/v1/audit-events/{_event(demo).pk}/").status_code == 200


def test_arrangement_grants_open_participants_matters_to_the_host_unit(demo):
    """Spydeberg's PPT staff act in Skiptvet's and Hobøl's PPT matters; Askim's do not."""
    from samvirke.accounts import access

    ppt = demo.arrangement["ppt-spydeberg-skiptvet-hobol"].area_id
    spydeberg_ppt = demo.user["spydeberg.ppt"]
    askim = demo.user["askim.saksbehandler"]
    for slug in ("skiptvet", "hobol"):
        assert access.can_act_for(spydeberg_ppt, organisation_id=demo.org[slug].id, area_id=ppt)
        assert not access.can_act_for(askim, organisation_id=demo.org[slug].id, area_id=ppt)


# ---------------------------------------------------------------- need to know
# The same 404 inside one municipality. A confidential case (child welfare, health and
# care, PPT, social services) is seen only by its handling unit's staff: Askim's front
# desk handler (Servicetorget) asks for a child-welfare concern handled by
# Barneverntjenesten and a home-care application handled by Helse og omsorg, through
# every door, and gets what a foreign tenant gets; the unit's own handler gets the page.
# Exports: the integration API's case and submission lists are what systems export from
# (the Noark archive export is the operator's command for the municipality's archive,
# with no staff or API route, and holds every case; docs/service-square.md).

NEED_TO_KNOW = {
    "barnevern-kontakt": "askim.barnevern",  # form: the handler of the unit that handles it
    "hjemmetjenester": "askim.helse",
}
OUTSIDER = "askim.saksbehandler"


def _confidential(demo, form):
    from samvirke.cases.models import Document, JournalEntry
    from samvirke.cases.tests.factories import open_case

    case = open_case(demo, form=form, title="Konfidensiell sak (testdata)")
    case.probe_entry = JournalEntry.objects.filter(case=case).first()
    case.probe_document = Document.objects.filter(case=case).first()
    assert case.case_type.is_confidential and case.handling_unit.slug != "servicetorget"
    return case


NEED_TO_KNOW_HTML = (
    "/admin/cases/{o.pk}/",
    "/admin/cases/{o.pk}/screening/",
    "/admin/cases/{o.pk}/journal/{o.probe_entry.pk}/screening/",
    "/admin/cases/{o.pk}/documents/{o.probe_document.pk}/",
)
NEED_TO_KNOW_API = (
    "/api/v1/cases/{o.pk}/",
    "/api/v1/cases/{o.pk}/journal-entries/",
    "/api/v1/cases/{o.pk}/documents/{o.probe_document.pk}/download/",
)


@pytest.mark.parametrize("form", sorted(NEED_TO_KNOW))
def test_need_to_know_html_answers_404_outside_the_handling_unit(form, demo, client, login):
    case = _confidential(demo, form)
    login(client, demo.user[OUTSIDER])
    for template in NEED_TO_KNOW_HTML:
        url = _fill(template, case, demo)
        assert client.get(url).status_code == 404, url
    # acting is refused the same way as looking
    response = client.post(f"/admin/cases/{case.pk}/", {"_action": "assign_me"})
    assert response.status_code == 404
    login(client, demo.user[NEED_TO_KNOW[form]])
    for template in NEED_TO_KNOW_HTML:
        url = _fill(template, case, demo)
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("form", sorted(NEED_TO_KNOW))
@pytest.mark.parametrize("auth", ["session", "token"])
def test_need_to_know_api_answers_404_outside_the_handling_unit(form, auth, demo, login):
    case = _confidential(demo, form)
    client = APIClient()
    if auth == "session":
        login(client, demo.user[OUTSIDER])
    else:
        _token, raw = api_token_create(
            actor=None, organisation=demo.org["askim"], name="probe", roles=["case_handler"]
        )
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    for template in NEED_TO_KNOW_API:
        url = _fill(template, case, demo)
        response = client.get(url)
        assert response.status_code == 404, f"{url} answered {response.status_code}"
        assert response.json()["error"]["code"] == "not_found"
    moved = client.post(f"/api/v1/cases/{case.pk}/status/", {"status": "in_progress"}, "json")
    assert moved.status_code == 404
    if auth == "session":
        login(client, demo.user[NEED_TO_KNOW[form]])
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize("form", sorted(NEED_TO_KNOW))
def test_need_to_know_search_and_export_leave_the_case_out(form, demo, client, login):
    case = _confidential(demo, form)
    login(client, demo.user[OUTSIDER])
    for query in (case.reference, "Konfidensiell"):
        inbox = client.get("/admin/cases/", {"q": query, "status": "all"}).content.decode()
        assert f'href="/admin/cases/{case.pk}/"' not in inbox, query
    api = APIClient()
    login(api, demo.user[OUTSIDER])
    listed = [c["id"] for c in api.get("/api/v1/cases/", {"page_size": 100}).json()["results"]]
    assert case.pk not in listed
    login(client, demo.user[NEED_TO_KNOW[form]])
    inbox = client.get("/admin/cases/", {"q": case.reference}).content.decode()
    assert f'href="/admin/cases/{case.pk}/"' in inbox


@pytest.mark.parametrize("form", sorted(NEED_TO_KNOW))
def test_need_to_know_webhooks_reach_only_entitled_subscribers(
    form, demo, django_capture_on_commit_callbacks
):
    from samvirke.cases.handling.services import case_status_change
    from samvirke.integrations.models import WebhookDelivery, WebhookSubscription

    case = _confidential(demo, form)

    def subscribe(owner):
        return WebhookSubscription.objects.create(
            organisation=demo.org["askim"],
            url="https://sak.askim.example.invalid/hooks",
            events=["case.status_changed"],
            secret="probe-secret-not-used",
            created_by=owner,
        )

    outsider = subscribe(demo.user[OUTSIDER])
    token, _raw = api_token_create(
        actor=None, organisation=demo.org["askim"], name="probe", roles=["case_handler"]
    )
    system = subscribe(token.user)
    entitled = subscribe(demo.user[NEED_TO_KNOW[form]])
    with django_capture_on_commit_callbacks(execute=True):
        case_status_change(case, "in_progress", demo.user[NEED_TO_KNOW[form]])
    heard = set(WebhookDelivery.objects.values_list("subscription_id", flat=True))
    assert entitled.pk in heard
    assert outsider.pk not in heard and system.pk not in heard


def test_need_to_know_break_the_glass_works_and_is_audited(demo, client, login):
    from samvirke.audit.models import AuditAction

    case = _confidential(demo, "barnevern-kontakt")
    on_duty = demo.user["askim.vakthavende"]
    login(client, on_duty)
    assert client.get(f"/admin/cases/{case.pk}/").status_code == 404
    response = client.post(
        "/admin/cases/emergency-access/",
        {
            "organisation": case.organisation_id,
            "reference": case.reference,
            "reason": "Politiet ringer om barnet nå; barneverntjenesten svarer ikke.",
        },
    )
    assert response.status_code == 302
    assert client.get(f"/admin/cases/{case.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.BREAK_GLASS, actor=on_duty, object_id=str(case.pk)
    ).exists()
    # the front desk handler has no such role: the page itself is a 404
    login(client, demo.user[OUTSIDER])
    assert client.get("/admin/cases/emergency-access/").status_code == 404
