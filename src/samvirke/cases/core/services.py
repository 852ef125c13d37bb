"""The core writes of the service square: opening a case and moving it through its
workflow. Submission, handling, journal and API code build on these.

Every write runs in one transaction with its audit event, its timeline event and, where
the law asks, its journal entry; signals for webhooks go out after the commit."""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases import signals
from samvirke.cases.core.numbering import CASES, number_next
from samvirke.cases.core.selectors import Route, cases_for_staff, workflow_of
from samvirke.cases.errors import CasesErrorCode
from samvirke.cases.journal.titles import screen_title
from samvirke.cases.models import Case, CaseEvent, CaseType, Phase, ServiceOffering


def case_open(
    *,
    offering: ServiceOffering | None,
    route: Route,
    title: str,
    protected: list[str] | tuple[str, ...] = (),
    case_type: CaseType | None = None,
    organisation=None,
    area=None,
    applicant=None,
    applicant_name: str = "",
    applicant_email: str = "",
    screening_basis: str | None = None,
    processing_days: int | None = None,
    opened_at: datetime.datetime | None = None,
    actor=None,
) -> Case:
    """Opens a case in the owning municipality (the offering's, or `organisation`) with
    the next case number, handled where the route says, in its workflow's initial
    status and with its statutory deadline."""
    if offering is not None:
        organisation_id = offering.organisation_id
        area_id = offering.form.area_id
        case_type = case_type or offering.case_type
        basis = offering.screening_basis if screening_basis is None else screening_basis
        days = offering.processing_days if processing_days is None else processing_days
    else:
        if organisation is None or area is None or case_type is None:
            raise ValueError("a case without an offering needs organisation, area and type")
        organisation_id, area_id = organisation.pk, area.pk
        basis, days = screening_basis or "", processing_days or 0
    opened_at = opened_at or timezone.now()
    year = timezone.localtime(opened_at).year
    with transaction.atomic():
        case = Case.objects.create(
            organisation_id=organisation_id,
            handling_organisation_id=route.handling_organisation_id,
            handling_unit=route.handling_unit,
            area_id=area_id,
            via_arrangement=route.via_arrangement,
            case_type=case_type,
            offering=offering,
            year=year,
            sequence=number_next(organisation_id=organisation_id, series=CASES, year=year),
            title=title[:500],
            public_title=(screen_title(title, protected) if basis else title)[:500],
            screening_basis=basis,
            status=workflow_of(case_type).initial,
            applicant=applicant if applicant is not None and applicant.is_authenticated else None,
            applicant_name=applicant_name,
            applicant_email=applicant_email,
            opened_at=opened_at,
            deadline=(timezone.localtime(opened_at).date() + datetime.timedelta(days=days))
            if days
            else None,
        )
        CaseEvent.objects.create(
            case=case,
            kind="opened",
            actor=actor if actor is not None and actor.is_authenticated else None,
            data={"status": case.status, "unit": route.handling_unit.name},
            visible_to_applicant=True,
            at=opened_at,
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=case,
            actor=actor,
            details={
                "reference": case.reference,
                "handling_organisation": route.handling_organisation_id,
                "via_arrangement": route.via_arrangement.pk if route.via_arrangement else None,
            },
        )
    return case


def case_status_move(*, case: Case, to_status: str, actor, reason: str = "") -> Case:
    """Moves the case along a transition its workflow allows. Entering a status with phase
    "paused" stops the deadline clock; leaving it moves the deadline on by the days
    paused. Entering "decided" or "closed" stamps the time."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("case_type").get(pk=case.pk)
        workflow = workflow_of(case.case_type)
        if to_status not in workflow.statuses:
            raise ValidationError(_("Unknown status."), code=CasesErrorCode.UNKNOWN_STATUS)
        if not workflow.may_move(case.status, to_status):
            raise ValidationError(
                _("A case cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": workflow.status(case.status).text(),
                    "to": workflow.status(to_status).text(),
                },
                code=CasesErrorCode.TRANSITION_NOT_ALLOWED,
            )
        old = case.status
        now = timezone.now()
        old_phase, new_phase = workflow.phase(old), workflow.phase(to_status)
        fields = ["status", "updated_at"]
        if new_phase == Phase.PAUSED and old_phase != Phase.PAUSED:
            case.paused_at = now
            fields.append("paused_at")
        if old_phase == Phase.PAUSED and new_phase != Phase.PAUSED and case.paused_at:
            paused = (timezone.localdate(now) - timezone.localdate(case.paused_at)).days
            case.paused_days += paused
            if case.deadline is not None:
                case.deadline += datetime.timedelta(days=paused)
            case.paused_at = None
            fields += ["paused_at", "paused_days", "deadline"]
        if new_phase == Phase.DECIDED and case.decided_at is None:
            case.decided_at = now
            fields.append("decided_at")
        if new_phase == Phase.CLOSED:
            case.closed_at = now
            fields.append("closed_at")
        elif case.closed_at is not None:
            case.closed_at = None
            fields.append("closed_at")
        case.status = to_status
        case.save(update_fields=fields)
        CaseEvent.objects.create(
            case=case,
            kind="status",
            actor=actor if actor is not None and actor.is_authenticated else None,
            data={"from": old, "to": to_status, "reason": reason},
            visible_to_applicant=True,
        )
        audit_record(
            action=AuditAction.UPDATE,
            obj=case,
            actor=actor,
            changes={"status": [old, to_status]},
        )
        transaction.on_commit(
            partial(
                signals.case_status_changed.send,
                sender=Case,
                case=case,
                old_status=old,
                new_status=to_status,
                actor=actor,
            )
        )
    return case


def require_case_handler(actor, case: Case) -> None:
    """Staff may act on a case only if they may see it (see selectors)."""

    if actor is None:
        return  # the system itself
    if not cases_for_staff(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
