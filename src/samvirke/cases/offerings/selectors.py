"""Reading a municipality's e-services: the ones switched on for citizens, the library forms
an administrator may switch on, the routing rules, units and arrangements their screens
offer, and who administers which municipality."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from samvirke.accounts import access
from samvirke.accounts.models import Role
from samvirke.cases.models import RoutingRule, ServiceOffering
from samvirke.eservices.models import FormDefinition, FormVersion
from samvirke.organisations.models import (
    ArrangementStatus,
    CooperationArrangement,
    Organisation,
    OrganisationKind,
    Unit,
)


def offerings_public(organisation: Organisation) -> QuerySet[ServiceOffering]:
    """The municipality's e-services that citizens can use: switched on, with a
    published form version."""
    published = FormVersion.objects.filter(form=OuterRef("form"), published=True)
    return (
        ServiceOffering.objects.filter(organisation=organisation, is_active=True)
        .filter(Exists(published))
        .select_related("form", "form__area", "organisation")
        .order_by("form__title")
    )


def offering_public_get(*, municipality_slug: str, form_slug: str) -> ServiceOffering:
    """Raises `ServiceOffering.DoesNotExist` when the municipality does not offer it."""
    return (
        ServiceOffering.objects.select_related(
            "form", "form__area", "organisation", "responsible_unit", "case_type"
        )
        .filter(is_active=True, organisation__is_member=True)
        .get(organisation__slug=municipality_slug, form__slug=form_slug)
    )


def offering_url(offering: ServiceOffering) -> str:
    """The path of the e-service's start page, for links from other pages."""
    return reverse(
        "submit:start",
        kwargs={"municipality": offering.organisation.slug, "form": offering.form.slug},
    )


def administered_municipalities(user) -> QuerySet[Organisation]:
    """The municipalities whose e-services the user may switch on: those where they are an
    administrator in their own right (not through an arrangement)."""
    ids = {
        g.organisation_id
        for g in access.grants_for(user)
        if g.role == Role.ADMINISTRATOR and g.via_arrangement_id is None
    }
    return Organisation.objects.filter(
        pk__in=ids, kind=OrganisationKind.MUNICIPALITY, is_member=True
    ).order_by("name")


def administered_municipality_get(user, organisation_id: int) -> Organisation:
    """One of the municipalities the user administers (`administered_municipalities`);
    another raises `Organisation.DoesNotExist`, like one that does not exist."""
    found = administered_municipalities(user).filter(pk=organisation_id).first()
    if found is None:
        raise Organisation.DoesNotExist
    return found


def offering_get(*, organisation: Organisation, form_id: int) -> ServiceOffering:
    """The municipality's offering of a library form, with its form, case type and
    municipality loaded. The caller has reached the municipality through
    `administered_municipality_get`; a form it does not offer raises
    `ServiceOffering.DoesNotExist`."""
    return ServiceOffering.objects.select_related("form", "case_type", "organisation").get(
        organisation=organisation, form_id=form_id
    )


def library_form_get(form_id: int) -> FormDefinition:
    """One form of the shared library (the same for every municipality); an unknown id
    raises `FormDefinition.DoesNotExist`."""
    return FormDefinition.objects.get(pk=form_id)


def library_for(organisation: Organisation) -> list[dict]:
    """Every library form with its offering in this municipality, if any."""
    offerings = {
        o.form_id: o
        for o in ServiceOffering.objects.filter(organisation=organisation).select_related(
            "responsible_unit"
        )
    }
    published = set(
        FormVersion.objects.filter(published=True).values_list("form_id", flat=True).distinct()
    )
    return [
        {"form": form, "offering": offerings.get(form.pk), "published": form.pk in published}
        for form in FormDefinition.objects.select_related("area").order_by("title")
    ]


def arrangements_for(organisation: Organisation) -> QuerySet[CooperationArrangement]:
    """Active arrangements with a host unit that the municipality takes part in (or hosts):
    the ones its cases may be routed through."""
    return (
        CooperationArrangement.objects.filter(status=ArrangementStatus.ACTIVE)
        .exclude(host_unit=None)
        .filter(Q(participations__organisation=organisation) | Q(host=organisation))
        .select_related("host", "host_unit")
        .distinct()
        .order_by("name")
    )


def routing_units_for(organisation: Organisation) -> QuerySet[Unit]:
    """Units a rule may name: the municipality's own, and those of the hosts of the
    arrangements it takes part in."""
    hosts = arrangements_for(organisation).values_list("host_id", flat=True)
    return (
        Unit.objects.filter(Q(organisation=organisation) | Q(organisation_id__in=list(hosts)))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def routing_rules_for(offering: ServiceOffering) -> QuerySet[RoutingRule]:
    """The rules that apply to this e-service: the form's own and those for every form."""
    return (
        RoutingRule.objects.filter(organisation=offering.organisation)
        .filter(
            Q(form=offering.form)
            | Q(form=None, area=None)
            | Q(form=None, area_id=offering.form.area_id)
        )
        .select_related("target_unit", "via_arrangement", "form", "area")
        .order_by("priority", "id")
    )
