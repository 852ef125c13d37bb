"""Service offerings (tjenester): a form from the regional library switched on for one
municipality with that municipality's settings, and its routing rules.

The reads are in `offerings.selectors` (`offerings_public`, `offering_url`, ...; the
portal's service pages link with `offering_url`). The writes here are for the
municipality's own administrators: switching a form on or off, editing its settings and
its routing rules. Each write checks the permission and is audited in the same
transaction.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record, audited_update
from samvirke.cases.core.selectors import workflow_of
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.models import CaseType, RoutingRule, ServiceOffering
from samvirke.cases.offerings.selectors import administered_municipalities, arrangements_for
from samvirke.eservices.definition import schema as definition_schema
from samvirke.eservices.models import FormDefinition
from samvirke.organisations.models import (
    CooperationArrangement,
    Organisation,
    Unit,
)

# --- citizens' side ------------------------------------------------------------------------


# --- administrators' side ----------------------------------------------------------------


def require_offering_admin(actor, organisation: Organisation) -> None:
    if actor is None:
        return  # the system itself (seed, management commands)
    if not administered_municipalities(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You do not have permission to do this."))


def _default_case_type() -> CaseType:
    case_type = CaseType.objects.filter(slug="standard").first() or CaseType.objects.first()
    if case_type is None:
        raise ValidationError(_("No case type is defined yet."), code=CasesErrorCode.NO_CASE_TYPE)
    return case_type


def _snapshot(offering: ServiceOffering) -> dict[str, Any]:
    """The settings as the audit event records them. Not `audit.services.snapshot`: that
    turns a JSON value into its text, and the status texts are recorded as JSON."""
    return {
        "is_active": offering.is_active,
        "responsible_unit": offering.responsible_unit_id,
        "case_type": offering.case_type_id,
        "contact": offering.contact,
        "fee": offering.fee,
        "processing_days": offering.processing_days,
        "status_texts": offering.status_texts,
        "screening_basis": offering.screening_basis,
        "is_confidential": offering.is_confidential,
    }


def _rule_snapshot(rule: RoutingRule) -> dict[str, Any]:
    """The rule as the audit event records it (the condition as JSON, see `_snapshot`)."""
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
                raise ValidationError(_("The form is not switched on."), code=CasesErrorCode.NOT_ON)
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
    the case type's statuses), screening basis and whether its cases are confidential
    (need to know, whatever the case type says)."""
    require_offering_admin(actor, offering.organisation)
    allowed = {
        "responsible_unit",
        "case_type",
        "contact",
        "fee",
        "processing_days",
        "status_texts",
        "screening_basis",
        "is_confidential",
    }
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    unit = values.get("responsible_unit", offering.responsible_unit)
    if unit is not None and unit.organisation_id != offering.organisation_id:
        raise ValidationError(
            {"responsible_unit": _("Choose one of the municipality's own units.")},
            code=CasesErrorCode.FOREIGN_UNIT,
        )
    case_type = values.get("case_type", offering.case_type)
    if "status_texts" in values:
        keys = set(workflow_of(case_type).statuses)
        stray = set(values["status_texts"]) - keys
        if stray:
            raise ValidationError(
                {"status_texts": _("Unknown status: %s") % ", ".join(sorted(stray))},
                code=CasesErrorCode.UNKNOWN_STATUS,
            )
    with transaction.atomic():
        audited_update(
            offering,
            actor=actor,
            acting_for=offering.organisation,
            changes=values,
            snapshot_of=_snapshot,
        )
    return offering


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
        raise ValidationError(errors, code=CasesErrorCode.INVALID_RULE)


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
        audited_update(
            rule,
            actor=actor,
            acting_for=rule.organisation,
            changes=merged,
            snapshot_of=_rule_snapshot,
            # `_rule_check` above is the rule's validation
            full_clean=False,
        )
    return rule


def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    require_offering_admin(actor, rule.organisation)
    with transaction.atomic():
        audit_record(action=AuditAction.DELETE, obj=rule, actor=actor, acting_for=rule.organisation)
        rule.delete()
