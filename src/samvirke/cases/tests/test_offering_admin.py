"""Switching library forms on per municipality, with its settings and routing rules:
services (permission, checks, audit) and the back-office screens (own municipality only;
another's is a 404)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samvirke.audit.models import AuditEvent
from samvirke.cases.models import RoutingRule, ServiceOffering
from samvirke.cases.offerings import selectors as offering_selectors
from samvirke.cases.offerings import services as offerings

pytestmark = pytest.mark.django_db

NS = "samvirke_offerings"


def service(demo, municipality="askim", form="melding-til-kommunen") -> ServiceOffering:
    return ServiceOffering.objects.select_related("form", "organisation", "case_type").get(
        organisation=demo.org[municipality], form__slug=form
    )


# --- services ------------------------------------------------------------------------


def test_an_administrator_switches_a_form_off_and_on_again_audited(demo):
    admin = demo.user["askim.admin"]
    offering = service(demo)
    form = offering.form
    offerings.offering_switch(actor=admin, organisation=demo.org["askim"], form=form, on=False)
    offering.refresh_from_db()
    assert not offering.is_active
    assert (
        not offering_selectors.offerings_public(demo.org["askim"]).filter(pk=offering.pk).exists()
    )
    offerings.offering_switch(actor=admin, organisation=demo.org["askim"], form=form, on=True)
    offering.refresh_from_db()
    assert offering.is_active
    events = AuditEvent.objects.filter(object_type="cases.serviceoffering", object_id=offering.pk)
    assert events.filter(actor=admin).count() == 2


def test_switching_on_a_new_form_creates_the_offering(demo):
    from samvirke.eservices.services import form_create
    from samvirke.eservices.tests.definitions import field, single

    admin = demo.user["askim.admin"]
    form = form_create(
        actor=None,
        slug="ny-tjeneste",
        title="Ny tjeneste",
        area=demo.org["askim"].units.exclude(area=None).first().area,
        definition=single(field("subject", "text")),
    )
    assert not ServiceOffering.objects.filter(form=form).exists()
    offering = offerings.offering_switch(
        actor=admin, organisation=demo.org["askim"], form=form, on=True
    )
    assert offering.is_active and offering.case_type.slug == "standard"


def test_only_the_municipalitys_own_administrators_may_change_it(demo):
    form = service(demo).form
    for user in ("spydeberg.admin", "askim.saksbehandler", "askim.redaktor"):
        with pytest.raises(PermissionDenied):
            offerings.offering_switch(
                actor=demo.user[user], organisation=demo.org["askim"], form=form, on=False
            )
    with pytest.raises(PermissionDenied):
        offerings.offering_update(
            actor=demo.user["spydeberg.admin"], offering=service(demo), processing_days=1
        )


def test_settings_take_only_own_units_and_known_statuses(demo):
    admin = demo.user["askim.admin"]
    offering = service(demo)
    foreign = demo.org["spydeberg"].units.first()
    with pytest.raises(ValidationError) as error:
        offerings.offering_update(actor=admin, offering=offering, responsible_unit=foreign)
    assert "responsible_unit" in error.value.error_dict
    with pytest.raises(ValidationError):
        offerings.offering_update(
            actor=admin, offering=offering, status_texts={"no_such_status": {"nb": "x"}}
        )
    offerings.offering_update(
        actor=admin,
        offering=offering,
        processing_days=10,
        fee={"nb": "Kr 500", "en": "NOK 500"},
        status_texts={"received": {"nb": "Vi har fått meldingen din."}},
    )
    offering.refresh_from_db()
    assert offering.processing_days == 10 and offering.fee["en"] == "NOK 500"
    event = AuditEvent.objects.filter(object_id=offering.pk, action="update").latest("id")
    assert event.changes["processing_days"] == [21, 10]


def test_routing_rules_are_checked_and_audited(demo):
    admin = demo.user["spydeberg.admin"]
    offering = service(demo, "spydeberg", "henvisning-ppt")
    ppt = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    rule = offerings.routing_rule_create(
        actor=admin, offering=offering, via_arrangement=ppt, condition=None, priority=5
    )
    assert rule.form == offering.form
    with pytest.raises(ValidationError):
        offerings.routing_rule_create(
            actor=admin,
            offering=offering,
            via_arrangement=demo.arrangement["ppt-eidsberg-marker-rakkestad-trogstad"],
        )
    with pytest.raises(ValidationError):
        offerings.routing_rule_create(
            actor=admin,
            offering=offering,
            target_unit=demo.org["spydeberg"].units.first(),
            condition={"field": "x", "bogus": 1},
        )


def test_a_rule_through_an_arrangement_routes_a_new_form(demo):
    admin = demo.user["askim.admin"]
    offering = service(demo, "askim", "melding-til-kommunen")
    unit = demo.org["askim"].units.exclude(pk=offering.responsible_unit_id).first()
    offerings.routing_rule_create(
        actor=admin,
        offering=offering,
        target_unit=unit,
        condition={"field": "topic", "equals": "fault"},
        priority=1,
    )
    from samvirke.cases.core.selectors import route_for

    assert route_for(offering, {"topic": "fault"}).handling_unit == unit
    assert route_for(offering, {"topic": "question"}).handling_unit != unit


def test_condition_problems_use_the_form_format():
    assert offerings.condition_problems({"field": "topic", "equals": "road"}) == []
    assert offerings.condition_problems({"all": [{"field": "a", "is_filled": True}]}) == []
    assert offerings.condition_problems({"field": "topic"})
    assert offerings.condition_problems({"field": "Bad Key", "equals": 1})


# --- screens -------------------------------------------------------------------------


def test_the_list_shows_the_library_with_few_queries(demo, client, login):
    login(client, demo.user["askim.admin"])
    url = reverse(f"{NS}:list", args=[demo.org["askim"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Melding til kommunen" in content and "Henvisning" in content
    assert len(queries) <= 25, len(queries)
    # the index leads an administrator of one municipality straight to it
    assert client.get(reverse(f"{NS}:index"))["Location"] == url


def test_another_municipalitys_screens_are_a_404(demo, client, login):
    login(client, demo.user["spydeberg.admin"])
    askim = demo.org["askim"]
    offering = service(demo)
    rule = RoutingRule.objects.create(
        organisation=askim, form=offering.form, target_unit=offering.responsible_unit
    )
    urls = [
        reverse(f"{NS}:list", args=[askim.pk]),
        reverse(f"{NS}:edit", args=[askim.pk, offering.form_id]),
        reverse(f"{NS}:rule_add", args=[askim.pk, offering.form_id]),
        reverse(f"{NS}:rule_edit", args=[askim.pk, offering.form_id, rule.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse(f"{NS}:switch", args=[askim.pk, offering.form_id]),
        reverse(f"{NS}:rule_delete", args=[askim.pk, offering.form_id, rule.pk]),
    ]
    for url in posts:
        assert client.post(url, {"on": "0"}).status_code == 404, url
    # and a rule of Askim's is not reachable under Spydeberg's own address either
    spydeberg = demo.org["spydeberg"]
    own = service(demo, "spydeberg")
    wrong = reverse(f"{NS}:rule_edit", args=[spydeberg.pk, own.form_id, rule.pk])
    assert client.get(wrong).status_code == 404
    offering.refresh_from_db()
    assert offering.is_active and RoutingRule.objects.filter(pk=rule.pk).exists()


def test_staff_without_administration_get_no_screens(demo, client, login):
    login(client, demo.user["askim.saksbehandler"])
    refused = client.get(reverse(f"{NS}:index"))  # the admin's refusal: back to its home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert client.get(reverse(f"{NS}:list", args=[demo.org["askim"].pk])).status_code == 404


def test_editing_settings_and_adding_a_rule_through_the_screens(demo, client, login):
    login(client, demo.user["askim.admin"])
    askim = demo.org["askim"]
    offering = service(demo)
    url = reverse(f"{NS}:edit", args=[askim.pk, offering.form_id])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "responsible_unit": offering.responsible_unit_id,
            "case_type": offering.case_type_id,
            "processing_days": "14",
            "fee_en": "Free",
            "status_received_en": "We have your message.",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    offering.refresh_from_db()
    assert offering.processing_days == 14 and offering.fee["en"] == "Free"
    assert offering.status_texts["received"]["en"] == "We have your message."
    # a bad condition is refused with its message, the typed text kept
    add = reverse(f"{NS}:rule_add", args=[askim.pk, offering.form_id])
    response = client.post(
        add,
        {
            "target_unit": offering.responsible_unit_id,
            "condition": '{"field": "topic"',
            "priority": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "Ikke gyldig JSON" in response.content.decode()  # "Not valid JSON" in bokmål
    response = client.post(
        add,
        {
            "target_unit": offering.responsible_unit_id,
            "condition": json.dumps({"field": "topic", "equals": "fault"}),
            "priority": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(organisation=askim, form=offering.form)
    assert rule.condition == {"field": "topic", "equals": "fault"}
    # switching off through the list
    switch = reverse(f"{NS}:switch", args=[askim.pk, offering.form_id])
    client.post(switch, {"on": "0"})
    offering.refresh_from_db()
    assert not offering.is_active
