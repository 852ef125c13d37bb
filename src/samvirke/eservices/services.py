"""Writes to the regional form library: forms, versions, publishing, import.

Every service checks the actor's permission (`eservices.author_form`; `actor=None` is the
system itself, as in the demo loader), validates, saves and writes an audit event in the
same transaction. Invalid definitions raise `DefinitionInvalid` with every problem's
stable code and JSON pointer.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.eservices.definition import DefinitionProblem, definition_problems
from samvirke.eservices.errors import EservicesErrorCode
from samvirke.eservices.models import Authentication, FormDefinition, FormVersion
from samvirke.organisations.models import AreaOfWork

EXPORT_FORMAT = 1


class DefinitionInvalid(ValidationError):
    """A definition with problems; `.problems` lists them with code and pointer."""

    def __init__(self, problems: list[DefinitionProblem]):
        self.problems = problems
        super().__init__(
            [ValidationError(f"{p.pointer or '/'}: {p.message}", code=p.code) for p in problems]
        )


def _check_author(actor) -> None:
    if actor is not None and not actor.has_perm("eservices.author_form"):
        raise PermissionDenied


def _check_definition(definition: Any) -> None:
    problems = definition_problems(definition)
    if problems:
        raise DefinitionInvalid(problems)


@transaction.atomic
def form_create(
    *,
    actor,
    slug: str,
    title: str,
    area: AreaOfWork,
    authentication: str = Authentication.EID_SUBSTANTIAL,
    definition: dict | None = None,
) -> FormDefinition:
    _check_author(actor)
    if authentication not in Authentication.values:
        raise ValidationError(
            _("Unknown authentication requirement."), code=EservicesErrorCode.INVALID_AUTHENTICATION
        )
    if FormDefinition.objects.filter(slug=slug).exists():
        raise ValidationError(
            _("A form with this slug exists already."), code=EservicesErrorCode.SLUG_TAKEN
        )
    if definition is not None:
        _check_definition(definition)
    form = FormDefinition(slug=slug, title=title, area=area, authentication=authentication)
    form.full_clean()
    form.save()
    audit_record(action=AuditAction.CREATE, obj=form, actor=actor)
    if definition is not None:
        form_version_add(actor=actor, form=form, definition=definition)
    return form


@transaction.atomic
def form_version_add(*, actor, form: FormDefinition, definition: dict) -> FormVersion:
    """Saves a definition as the form's next version. Saving the same definition as the
    latest version adds nothing and returns that version."""
    _check_author(actor)
    _check_definition(definition)
    form = FormDefinition.objects.select_for_update().get(pk=form.pk)
    latest = form.versions.order_by("-number").first()
    if latest is not None and latest.definition == definition:
        return latest
    number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = FormVersion.objects.create(
        form=form,
        number=number,
        definition=definition,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(action=AuditAction.CREATE, obj=version, actor=actor, details={"form": form.slug})
    return version


@transaction.atomic
def form_version_publish(*, actor, version: FormVersion) -> FormVersion:
    _check_author(actor)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.published:
        raise ValidationError(
            _("This version is published already."), code=EservicesErrorCode.ALREADY_PUBLISHED
        )
    _check_definition(version.definition)  # the format may have tightened since
    version.published = True
    version.published_at = timezone.now()
    version.save(update_fields=["published", "published_at"])
    audit_record(
        action=AuditAction.UPDATE,
        obj=version,
        actor=actor,
        changes={"published": [False, True]},
        details={"form": version.form.slug},
    )
    return version


def form_export(*, actor, form: FormDefinition) -> str:
    """The form as one JSON file: its metadata and its latest version's definition."""
    _check_author(actor)
    latest = form.versions.order_by("-number").first()
    document = {
        "export_format": EXPORT_FORMAT,
        "slug": form.slug,
        "title": form.title,
        "area_of_work": form.area.code,
        "authentication": form.authentication,
        "version": latest.number if latest else None,
        "published": latest.published if latest else False,
        "definition": latest.definition if latest else None,
    }
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT,
            obj=form,
            actor=actor,
            details={"version": document["version"]},
        )
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _import_problem(code: str, pointer: str, message: str) -> DefinitionInvalid:
    return DefinitionInvalid([DefinitionProblem(code=code, pointer=pointer, message=message)])


@transaction.atomic
def form_import(*, actor, document: str | dict, publish: bool = False) -> FormVersion:
    """Imports one exported form: creates the form, or adds a version to the form with
    the same slug. With `publish`, the imported version is published (unless it is)."""
    _check_author(actor)
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as error:
            raise _import_problem(
                EservicesErrorCode.INVALID_JSON, "", _("Not valid JSON: %s") % error.msg
            ) from error
    if not isinstance(document, dict) or document.get("export_format") != EXPORT_FORMAT:
        raise _import_problem(
            EservicesErrorCode.UNKNOWN_EXPORT_FORMAT,
            "/export_format",
            _("This is not a Samvirke form export."),
        )
    for name in ("slug", "title", "area_of_work", "definition"):
        if not document.get(name):
            raise _import_problem(
                EservicesErrorCode.REQUIRED, f"/{name}", _("“%s” is missing.") % name
            )
    definition = document["definition"]
    problems = definition_problems(definition)
    if problems:
        raise DefinitionInvalid(
            [
                DefinitionProblem(code=p.code, pointer="/definition" + p.pointer, message=p.message)
                for p in problems
            ]
        )
    area = AreaOfWork.objects.filter(code=document["area_of_work"]).first()
    if area is None:
        raise _import_problem(
            EservicesErrorCode.UNKNOWN_AREA_OF_WORK,
            "/area_of_work",
            _("No area of work with this code."),
        )
    form = FormDefinition.objects.filter(slug=document["slug"]).first()
    if form is None:
        form = form_create(
            actor=actor,
            slug=document["slug"],
            title=document["title"],
            area=area,
            authentication=document.get("authentication", Authentication.EID_SUBSTANTIAL),
        )
    version = form_version_add(actor=actor, form=form, definition=definition)
    if publish and not version.published:
        version = form_version_publish(actor=actor, version=version)
    return version
