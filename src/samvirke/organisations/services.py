"""Every change to organisations, units, areas of work and cooperation arrangements.

Each service checks the actor's permission, validates, saves, and writes an audit event
in the same transaction; a change to an organisation is then announced (`signals`) to the
apps above, which follow it in that transaction. Errors carry stable codes
(`ValidationError.code`), which the API returns as they are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record, audited_update, diff, snapshot
from samvirke.core import filecontent
from samvirke.core.files import file_forget, file_save
from samvirke.core.permissions import require_permission
from samvirke.organisations import signals
from samvirke.organisations.errors import OrganisationsErrorCode
from samvirke.organisations.models import (
    AgreementDocument,
    AreaOfWork,
    ArrangementStatus,
    CooperationArrangement,
    Organisation,
    Participation,
    Region,
    Unit,
)

ARRANGEMENT_FIELDS = (
    "name",
    "description",
    "area",
    "legal_form",
    "host",
    "host_unit",
    "status",
    "cost_key",
    "services",
    "established_on",
    "is_public",
)


def _field_error(field: str, message: str, *, code: str) -> ValidationError:
    """A ValidationError on one field whose code survives both ways of reading it:
    `error.code` and `error.error_dict[field][0].code` (Django drops the code of a
    dict-shaped error otherwise)."""
    error = ValidationError({field: ValidationError(message, code=code)})
    error.code = code
    return error


def _unique_slug(model, base: str, **scope: Any) -> str:
    base = slugify(base)[:45] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug, **scope).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _full_clean(obj, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=True)


@transaction.atomic
def region_create(*, name: str, slug: str, description: str = "") -> Region:
    region = Region.objects.create(name=name, slug=slug, description=description)
    audit_record(action=AuditAction.CREATE, obj=region, actor=None)
    return region


@transaction.atomic
def organisation_create(
    *,
    actor=None,
    region: Region,
    kind: str,
    name: str,
    number: str = "",
    organisation_number: str = "",
    is_member: bool = False,
    population: int | None = None,
    website: str = "",
    email: str = "",
    phone: str = "",
    slug: str | None = None,
) -> Organisation:
    require_permission(actor, "organisations.add_organisation")
    organisation = Organisation(
        region=region,
        kind=kind,
        name=name,
        number=number,
        organisation_number=organisation_number,
        is_member=is_member,
        population=population,
        website=website,
        email=email,
        phone=phone,
        slug=slug or _unique_slug(Organisation, name),
    )
    _full_clean(organisation)
    organisation.save()
    audit_record(
        action=AuditAction.CREATE,
        obj=organisation,
        actor=actor,
        acting_for=organisation,
        changes=diff({}, snapshot(organisation)),
    )
    # inside the transaction: the portal makes a member municipality's site (see signals)
    signals.organisation_created.send(sender=Organisation, organisation=organisation, actor=actor)
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **fields: Any) -> Organisation:
    require_permission(actor, "organisations.change_organisation", organisation)
    allowed = {
        "name",
        "kind",
        "number",
        "organisation_number",
        "is_member",
        "population",
        "website",
        "email",
        "phone",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown fields: %s") % ", ".join(sorted(unknown)),
            code=OrganisationsErrorCode.UNKNOWN_FIELD,
        )
    # What kind of organisation it is and whether it is a member are decided by the
    # cooperation as a whole, not by the organisation's own administrators.
    for name in ("kind", "is_member"):
        if name in fields and fields[name] != getattr(organisation, name):
            require_permission(actor, "organisations.add_organisation")
    changes = audited_update(organisation, actor=actor, acting_for=organisation, changes=fields)
    if changes:
        signals.organisation_updated.send(
            sender=Organisation, organisation=organisation, actor=actor, changes=changes
        )
    return organisation


def _check_unit_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.organisation_id != unit.organisation_id:
        raise _field_error(
            "parent",
            _("The parent unit must belong to the same organisation."),
            code=OrganisationsErrorCode.PARENT_OTHER_ORGANISATION,
        )
    node: Unit | None = parent
    while node is not None:
        if unit.pk is not None and node.pk == unit.pk:
            raise _field_error(
                "parent",
                _("A unit cannot be placed below itself."),
                code=OrganisationsErrorCode.UNIT_CYCLE,
            )
        node = node.parent


@transaction.atomic
def unit_create(
    *,
    actor=None,
    organisation: Organisation,
    name: str,
    parent: Unit | None = None,
    area: AreaOfWork | None = None,
    is_public: bool = True,
    email: str = "",
    phone: str = "",
    slug: str | None = None,
) -> Unit:
    unit = Unit(
        organisation=organisation,
        parent=parent,
        name=name,
        area=area,
        is_public=is_public,
        email=email,
        phone=phone,
    )
    require_permission(actor, "organisations.change_unit", unit)
    unit.slug = slug or _unique_slug(Unit, name, organisation=organisation)
    _check_unit_parent(unit, parent)
    _full_clean(unit)
    unit.save()
    audit_record(
        action=AuditAction.CREATE,
        obj=unit,
        actor=actor,
        acting_for=organisation,
        changes=diff({}, snapshot(unit)),
    )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **fields: Any) -> Unit:
    require_permission(actor, "organisations.change_unit", unit)
    allowed = {"name", "parent", "area", "is_public", "email", "phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown fields: %s") % ", ".join(sorted(unknown)),
            code=OrganisationsErrorCode.UNKNOWN_FIELD,
        )
    audited_update(
        unit,
        actor=actor,
        acting_for=unit.organisation,
        changes=fields,
        check=lambda: _check_unit_parent(unit, unit.parent),
    )
    return unit


@transaction.atomic
def area_create(
    *, actor=None, code: str, name: str, names: dict[str, str] | None = None, position: int = 0
) -> AreaOfWork:
    require_permission(actor, "organisations.change_areaofwork")
    area = AreaOfWork(code=code, name=name, names=names or {}, position=position)
    _full_clean(area)
    area.save()
    audit_record(action=AuditAction.CREATE, obj=area, actor=actor, changes=diff({}, snapshot(area)))
    return area


@transaction.atomic
def area_update(*, actor, area: AreaOfWork, **fields: Any) -> AreaOfWork:
    require_permission(actor, "organisations.change_areaofwork", area)
    audited_update(
        area,
        actor=actor,
        changes={name: fields[name] for name in ("name", "names", "position") if name in fields},
    )
    return area


def _check_host_unit(arrangement: CooperationArrangement) -> None:
    host_unit = arrangement.host_unit if arrangement.host_unit_id else None
    if host_unit is not None and host_unit.organisation_id != arrangement.host_id:
        raise _field_error(
            "host_unit",
            _("The host unit must belong to the host organisation."),
            code=OrganisationsErrorCode.HOST_UNIT_OTHER_ORGANISATION,
        )


@transaction.atomic
def arrangement_create(
    *,
    actor=None,
    region: Region,
    name: str,
    area: AreaOfWork,
    legal_form: str,
    host: Organisation,
    host_unit: Unit | None = None,
    description: str = "",
    status: str = ArrangementStatus.ACTIVE,
    cost_key: str = "",
    services: str = "",
    established_on: date | None = None,
    is_public: bool = True,
    slug: str | None = None,
) -> CooperationArrangement:
    require_permission(actor, "organisations.add_cooperationarrangement")
    arrangement = CooperationArrangement(
        region=region,
        name=name,
        area=area,
        legal_form=legal_form,
        host=host,
        host_unit=host_unit,
        description=description,
        status=status,
        cost_key=cost_key,
        services=services,
        established_on=established_on,
        is_public=is_public,
        slug=slug or _unique_slug(CooperationArrangement, name),
    )
    # The creator must be able to manage what they create: their organisation hosts it.
    require_permission(actor, "organisations.change_cooperationarrangement", arrangement)
    _check_host_unit(arrangement)
    _full_clean(arrangement)
    arrangement.save()
    audit_record(
        action=AuditAction.CREATE,
        obj=arrangement,
        actor=actor,
        acting_for=host,
        changes=diff({}, snapshot(arrangement, list(ARRANGEMENT_FIELDS))),
    )
    return arrangement


@transaction.atomic
def arrangement_update(
    *, actor, arrangement: CooperationArrangement, **fields: Any
) -> CooperationArrangement:
    require_permission(actor, "organisations.change_cooperationarrangement", arrangement)
    unknown = set(fields) - set(ARRANGEMENT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %s") % ", ".join(sorted(unknown)),
            code=OrganisationsErrorCode.UNKNOWN_FIELD,
        )

    def check() -> None:
        if "host" in fields:
            # handing the arrangement to another host needs the new host's (or a regional
            # coordinator's) permission too
            require_permission(actor, "organisations.change_cooperationarrangement", arrangement)
        _check_host_unit(arrangement)

    audited_update(
        arrangement,
        actor=actor,
        # the event belongs to the host the arrangement has afterwards (never none: the
        # field is required, so a None fails the clean before anything is recorded)
        acting_for=fields.get("host") or arrangement.host,
        changes=fields,
        fields=ARRANGEMENT_FIELDS,
        check=check,
    )
    return arrangement


def _check_cost_shares(arrangement: CooperationArrangement, changed: Participation) -> None:
    total = Decimal("0")
    for participation in arrangement.participations.exclude(pk=changed.pk):
        total += participation.cost_share or 0
    total += changed.cost_share or 0
    if total > Decimal("100"):
        raise _field_error(
            "cost_share",
            _("The cost shares add up to %(total)s %%, more than 100 %%.") % {"total": total},
            code=OrganisationsErrorCode.COST_SHARES_EXCEED_100,
        )


def _check_period(participation: Participation) -> None:
    if (
        participation.starts_on is not None
        and participation.ends_on is not None
        and participation.ends_on < participation.starts_on
    ):
        raise _field_error(
            "ends_on",
            _("The end date cannot be before the start date."),
            code=OrganisationsErrorCode.PERIOD_ENDS_BEFORE_START,
        )


def _participation_values(p: Participation) -> dict[str, Any]:
    return {
        "organisation": p.organisation_id,
        "starts_on": str(p.starts_on) if p.starts_on else None,
        "ends_on": str(p.ends_on) if p.ends_on else None,
        "cost_share": str(p.cost_share) if p.cost_share is not None else None,
    }


@transaction.atomic
def arrangement_add_participant(
    *,
    actor=None,
    arrangement: CooperationArrangement,
    organisation: Organisation,
    starts_on: date | None = None,
    ends_on: date | None = None,
    cost_share: Decimal | None = None,
) -> Participation:
    require_permission(actor, "organisations.change_cooperationarrangement", arrangement)
    if arrangement.participations.filter(organisation=organisation).exists():
        raise _field_error(
            "organisation",
            _("%(name)s already takes part in this arrangement.") % {"name": organisation.name},
            code=OrganisationsErrorCode.ALREADY_PARTICIPANT,
        )
    participation = Participation(
        arrangement=arrangement,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        cost_share=cost_share,
    )
    _check_period(participation)
    _full_clean(participation, exclude=["arrangement"])
    _check_cost_shares(arrangement, participation)
    participation.save()
    audit_record(
        action=AuditAction.UPDATE,
        obj=arrangement,
        actor=actor,
        acting_for=arrangement.host,
        changes={"participants": [None, organisation.name]},
        details={"participation": _participation_values(participation)},
    )
    return participation


@transaction.atomic
def arrangement_update_participant(
    *, actor, participation: Participation, **fields: Any
) -> Participation:
    arrangement = participation.arrangement
    require_permission(actor, "organisations.change_cooperationarrangement", arrangement)
    before = _participation_values(participation)
    unknown = set(fields) - {"starts_on", "ends_on", "cost_share"}
    if unknown:
        raise ValidationError(
            _("Unknown fields: %s") % ", ".join(sorted(unknown)),
            code=OrganisationsErrorCode.UNKNOWN_FIELD,
        )
    for name in ("starts_on", "ends_on", "cost_share"):
        if name in fields:
            setattr(participation, name, fields[name])
    _check_period(participation)
    _full_clean(participation, exclude=["arrangement"])
    _check_cost_shares(arrangement, participation)
    participation.save()
    after = _participation_values(participation)
    changes = {
        f"participant:{participation.organisation.name}:{k}": [before[k], after[k]]
        for k in after
        if before[k] != after[k]
    }
    if changes:
        audit_record(
            action=AuditAction.UPDATE,
            obj=arrangement,
            actor=actor,
            acting_for=arrangement.host,
            changes=changes,
        )
    return participation


@transaction.atomic
def arrangement_end_participation(
    *, actor, participation: Participation, ends_on: date
) -> Participation:
    """A participant leaves the arrangement: its participation ends on `ends_on` and stays
    in the history (and in the cost split up to that day)."""
    if ends_on is None:
        raise _field_error(
            "ends_on",
            _("Give the date the participation ends."),
            code=OrganisationsErrorCode.END_DATE_REQUIRED,
        )
    if participation.ends_on is not None and participation.ends_on <= ends_on:
        raise _field_error(
            "ends_on",
            _("This participation already ends on %(date)s.")
            % {"date": participation.ends_on.isoformat()},
            code=OrganisationsErrorCode.ALREADY_ENDED,
        )
    return arrangement_update_participant(actor=actor, participation=participation, ends_on=ends_on)


@transaction.atomic
def arrangement_remove_participant(*, actor, participation: Participation) -> None:
    """Removes a participation entered by mistake. A participant that leaves gets an
    end date instead (`arrangement_update_participant`), so the history stays."""
    arrangement = participation.arrangement
    require_permission(actor, "organisations.change_cooperationarrangement", arrangement)
    name = participation.organisation.name
    participation.delete()
    audit_record(
        action=AuditAction.UPDATE,
        obj=arrangement,
        actor=actor,
        acting_for=arrangement.host,
        changes={"participants": [name, None]},
    )


ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": b"%PDF-",
}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def arrangement_add_document(
    *, actor, arrangement: CooperationArrangement, title: str, file, is_public: bool = False
) -> AgreementDocument:
    require_permission(actor, "organisations.change_cooperationarrangement", arrangement)
    if file.size > MAX_DOCUMENT_BYTES:
        raise _field_error(
            "file",
            _("The file is larger than 20 MB."),
            code=OrganisationsErrorCode.FILE_TOO_LARGE,
        )
    content = file.read()
    file.seek(0)
    if not content.startswith(b"%PDF-"):
        raise _field_error(
            "file",
            _("Agreement documents must be PDF files."),
            code=OrganisationsErrorCode.FILE_TYPE_NOT_ALLOWED,
        )
    try:  # parsed in full: no JavaScript, launch actions or embedded files
        filecontent.pdf_check(content, name=(file.name or "").rsplit("/", 1)[-1])
    except filecontent.ContentRefused as refused:
        raise _field_error(
            "file", refused.message, code=OrganisationsErrorCode.PDF_NOT_ALLOWED
        ) from None
    document = AgreementDocument(
        arrangement=arrangement, title=title, is_public=is_public, uploaded_by=actor
    )
    file_save(document.file, file.name, file)  # kept only if the transaction commits
    try:
        _full_clean(document, exclude=["arrangement", "uploaded_by"])
        document.save()
    except BaseException:
        file_forget(document.file)
        raise
    audit_record(
        action=AuditAction.CREATE,
        obj=document,
        actor=actor,
        acting_for=arrangement.host,
        details={"arrangement": arrangement.pk},
    )
    return document
