"""Service offerings (tjenester): a form from the regional library switched on for one
municipality with that municipality's settings, and its routing rules.

Reads (`offerings_public`, `offering_public_get`, `offering_url`) serve the citizen pages
and other apps (the portal's service pages link with `offering_url`). Writes are for the
municipality's own administrators: switching a form on or off, editing its settings and
its routing rules. Each write checks the permission and is audited in the same
transaction.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from samvirke.accounts import access
from samvirke.accounts.models import Role
from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record, diff
from samvirke.cases.models import CaseType, RoutingRule, ServiceOffering
from samvirke.eservices.definition import schema as definition_schema
from samvirke.eservices.models import FormDefinition, FormVersion
from samvirke.organisations.models import (
    ArrangementStatus,
    CooperationArrangement,
    Organisation,
    OrganisationKind,
    Unit,
)

# --- citizens' side ------------------------------------------------------------------------


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


# --- administrators' side ----------------------------------------------------------------


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


def require_offering_admin(actor, organisation: Organisation) -> None:
    if actor is None:
        return  # the system itself (seed, management commands)
    if not administered_municipalities(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You do not have permission to do this."))


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


def _default_case_type() -> CaseType:
    case_type = CaseType.objects.filter(slug="standard").first() or CaseType.objects.first()
    if case_type is None:
        raise ValidationError(_("No case type is defined yet."), code="no_case_type")
    return case_type


def _snapshot(offering: ServiceOffering) -> dict[str, Any]:
    return {
        "is_active": offering.is_active,
        "responsible_unit": offering.responsible_unit_id,
        "case_type": offering.case_type_id,
        "contact": offering.contact,
        "fee": offering.fee,
        "processing_days": offering.processing_days,
        "status_texts": offering.status_texts,
        "screening_basis": offering.screening_basis,
    }


def _rule_snapshot(rule: RoutingRule) -> dict[str, Any]:
    return {
        "target_unit": rule.target_unit_id,
        "via_arrangement": rule.via_arrangement_id,
        "condition": rule.condition,
        "priority": rule.priority,
        "is_active": rule.is_active,
    }


def offering_switch(
    *, actor, organisation: Organisation, form: FormDefinition, on: bool
) -> ServiceOffering:
    """Switches the form on (creating the offering with defaults) or off for the
    municipality. Switching off keeps the settings and every case already made."""
    require_offering_admin(actor, organisation)
    with transaction.atomic():
        offering = (
            ServiceOffering.objects.select_for_update()
            .filter(organisation=organisation, form=form)
            .first()
        )
        if offering is None:
            if not on:
                raise ValidationError(_("The form is not switched on."), code="not_on")
            offering = ServiceOffering.objects.create(
                organisation=organisation,
                form=form,
                case_type=_default_case_type(),
                is_active=True,
                responsible_unit=organisation.units.filter(area_id=form.area_id).first(),
            )
            audit_record(
                action=AuditAction.CREATE,
                obj=offering,
                actor=actor,
                acting_for=organisation,
                details={"form": form.slug},
            )
            return offering
        if offering.is_active != on:
            offering.is_active = on
            offering.save(update_fields=["is_active", "updated_at"])
            audit_record(
                action=AuditAction.UPDATE,
                obj=offering,
                actor=actor,
                acting_for=organisation,
                changes={"is_active": [not on, on]},
            )
    return offering


def offering_update(*, actor, offering: ServiceOffering, **values) -> ServiceOffering:
    """Changes the municipality's settings of an e-service: responsible unit (one of its
    own), case type, contact and fee texts, processing deadline, status texts (keys of
    the case type's statuses) and screening basis."""
    require_offering_admin(actor, offering.organisation)
    allowed = {
        "responsible_unit",
        "case_type",
        "contact",
        "fee",
        "processing_days",
        "status_texts",
        "screening_basis",
    }
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    unit = values.get("responsible_unit", offering.responsible_unit)
    if unit is not None and unit.organisation_id != offering.organisation_id:
        raise ValidationError(
            {"responsible_unit": _("Choose one of the municipality's own units.")},
            code="foreign_unit",
        )
    case_type = values.get("case_type", offering.case_type)
    if "status_texts" in values:
        from samvirke.cases.workflow import workflow_of

        keys = set(workflow_of(case_type).statuses)
        stray = set(values["status_texts"]) - keys
        if stray:
            raise ValidationError(
                {"status_texts": _("Unknown status: %s") % ", ".join(sorted(stray))},
                code="unknown_status",
            )
    with transaction.atomic():
        before = _snapshot(offering)
        for name, value in values.items():
            setattr(offering, name, value)
        offering.full_clean()
        offering.save()
        changes = diff(before, _snapshot(offering))
        if changes:
            audit_record(
                action=AuditAction.UPDATE,
                obj=offering,
                actor=actor,
                acting_for=offering.organisation,
                changes=changes,
            )
    return offering


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


_CONDITION_VALIDATOR = None


def condition_problems(condition: Any) -> list[str]:
    """What is wrong with a routing condition: it has the form of a `visible_if`
    (docs/forms.md), checked against the form format's JSON Schema."""
    global _CONDITION_VALIDATOR
    if condition is None:
        return []
    if _CONDITION_VALIDATOR is None:
        full = definition_schema()
        _CONDITION_VALIDATOR = jsonschema.Draft202012Validator(
            {"$defs": full["$defs"], "$ref": "#/$defs/condition"}
        )
    return [
        f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in _CONDITION_VALIDATOR.iter_errors(condition)
    ]


def _rule_check(organisation: Organisation, values: dict) -> None:
    unit: Unit | None = values.get("target_unit")
    arrangement: CooperationArrangement | None = values.get("via_arrangement")
    errors: dict[str, str] = {}
    if unit is None and arrangement is None:
        errors["target_unit"] = _("Choose a unit, or an arrangement to route through.")
    if arrangement is not None:
        if not arrangements_for(organisation).filter(pk=arrangement.pk).exists():
            errors["via_arrangement"] = _(
                "The municipality does not take part in this arrangement."
            )
        elif unit is not None and unit.organisation_id != arrangement.host_id:
            errors["target_unit"] = _("Through an arrangement, the unit must be the host's.")
    elif unit is not None and unit.organisation_id != organisation.pk:
        errors["target_unit"] = _("Choose one of the municipality's own units.")
    problems = condition_problems(values.get("condition"))
    if problems:
        errors["condition"] = _("The condition is not in the form format: %s") % "; ".join(problems)
    if errors:
        raise ValidationError(errors, code="invalid_rule")


RULE_FIELDS = ("target_unit", "via_arrangement", "condition", "priority", "is_active")


def routing_rule_create(*, actor, offering: ServiceOffering, **values) -> RoutingRule:
    """A routing rule for this municipality's e-service (the form is the offering's)."""
    organisation = offering.organisation
    require_offering_admin(actor, organisation)
    _rule_check(organisation, values)
    with transaction.atomic():
        rule = RoutingRule.objects.create(
            organisation=organisation,
            form=offering.form,
            **{k: v for k, v in values.items() if k in RULE_FIELDS},
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=rule,
            actor=actor,
            acting_for=organisation,
            details={
                "form": offering.form.slug,
                "unit": rule.target_unit_id,
                "via_arrangement": rule.via_arrangement_id,
                "condition": rule.condition,
            },
        )
    return rule


def routing_rule_update(*, actor, rule: RoutingRule, **values) -> RoutingRule:
    require_offering_admin(actor, rule.organisation)
    merged = {name: getattr(rule, name) for name in RULE_FIELDS}
    merged.update({k: v for k, v in values.items() if k in RULE_FIELDS})
    _rule_check(rule.organisation, merged)
    with transaction.atomic():
        before = _rule_snapshot(rule)
        for name, value in merged.items():
            setattr(rule, name, value)
        rule.save()
        changes = diff(before, _rule_snapshot(rule))
        if changes:
            audit_record(
                action=AuditAction.UPDATE,
                obj=rule,
                actor=actor,
                acting_for=rule.organisation,
                changes=changes,
            )
    return rule


def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    require_offering_admin(actor, rule.organisation)
    with transaction.atomic():
        audit_record(action=AuditAction.DELETE, obj=rule, actor=actor, acting_for=rule.organisation)
        rule.delete()


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
