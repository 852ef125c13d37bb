"""Making an archive export (arkivuttrekk) of a municipality's closed cases.

`archive_export_create` writes, into an empty directory that an archive target
(`targets.archive_targets`, by default `directory`) provides and then delivers:

    arkivuttrekk.xml       ADDML 8.3: what the export holds, with the XML files' checksums
    arkivstruktur.xml      the cases, journal entries and documents (Noark 5 v5.0)
    endringslogg.xml       changes to their metadata, from the audit log
    loependeJournal.xml    the running journal of the exported entries
    offentligJournal.xml   the public journal of the same entries
    *.xsd                  the schemas of the above, as Arkivverket's packages carry them
    dokumenter/<id>.pdf    every document of the journal entries, as PDF/A

Every XML file is checked against its schema before the export counts as done; on any
failure the target's directory is left as it was found. One audit event (export) records
each export.
See docs/archive.md."""

from __future__ import annotations

import datetime
import hashlib
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from samvirke.archive import addml, arkivstruktur, endringslogg, journals, standards
from samvirke.archive.archival_formats import archival_file
from samvirke.archive.errors import ArchiveErrorCode
from samvirke.archive.mapping import (
    CASE,
    DOCUMENT,
    ENTRY,
    AuditTrail,
    ExportContents,
    ExportedDocument,
    document_path,
)
from samvirke.archive.selectors import audit_events_for, closed_cases_for_export
from samvirke.archive.targets import archive_targets
from samvirke.archive.xmltree import serialise
from samvirke.audit.models import AuditAction
from samvirke.audit.services import audit_record
from samvirke.cases.documents.services import document_read
from samvirke.core.permissions import require_permission
from samvirke.organisations.models import Organisation

ADDML_FILE = "arkivuttrekk.xml"
ARCHIVE_LANGUAGE = "nb"  # Noark 5 metadata is written in Norwegian


@dataclass(frozen=True)
class ExportResult:
    location: str  # where the target delivered it: for `directory`, the directory
    cases: int
    journal_entries: int
    documents: int
    converted: int
    covered: int  # converted to a cover page only: the content is not in the export
    arkivuttrekk_sha256: str


def archive_export_create(
    *,
    organisation: Organisation,
    date_from: datetime.date,
    date_to: datetime.date,
    destination: str | Path,
    target: str = "directory",
    actor=None,
) -> ExportResult:
    """Exports the municipality's cases closed from `date_from` to `date_to` (both days
    included) through the archive target `target` to `destination` (for `directory`: a
    directory that must be empty or not exist yet). Raises ValidationError with a code
    (period_reversed, output_not_empty, standards_missing, nothing_to_export,
    invalid_export) when it cannot."""
    require_permission(actor, "archive.export_archive", organisation)
    archive_target = archive_targets[target]()
    destination = str(destination)
    _check_period(date_from, date_to)
    archive_target.destination_check(destination=destination)
    _check_standards()
    cases = list(
        closed_cases_for_export(organisation=organisation, date_from=date_from, date_to=date_to)
    )
    if not cases:
        raise ValidationError(
            _(
                "%(name)s has no cases closed from %(start)s to %(end)s, so there is "
                "nothing to export."
            )
            % {"name": organisation.name, "start": date_from, "end": date_to},
            code=ArchiveErrorCode.NOTHING_TO_EXPORT,
        )

    with archive_target.staging(destination=destination) as directory:
        with translation.override(ARCHIVE_LANGUAGE):
            written = _write(organisation, date_from, date_to, cases, directory)
        location = archive_target.deliver(directory=directory, destination=destination)
    result = replace(written, location=location)
    audit_record(
        action=AuditAction.EXPORT,
        obj=organisation,
        actor=actor,
        acting_for=organisation,
        object_label=f"{organisation.name}: Noark 5 {date_from.isoformat()}–{date_to.isoformat()}",
        details={
            "kind": "noark5_arkivuttrekk",
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "output": result.location,
            "cases": result.cases,
            "journal_entries": result.journal_entries,
            "documents": result.documents,
            "converted": result.converted,
            "covered": result.covered,
            "arkivuttrekk_sha256": result.arkivuttrekk_sha256,
        },
    )
    return result


def _check_period(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_from > date_to:
        raise ValidationError(
            _("The period starts (%(start)s) after it ends (%(end)s).")
            % {"start": date_from, "end": date_to},
            code=ArchiveErrorCode.PERIOD_REVERSED,
        )


def _check_standards() -> None:
    try:
        for name in standards.SCHEMA_FILES:
            standards.schema_path(name)
    except standards.StandardsMissing as exc:
        raise ValidationError(
            _(
                "The schema %(path)s is missing. Set SAMVIRKE_STANDARDS_DIR to the folder "
                "with Arkivverket's Noark 5 and ADDML schemas."
            )
            % {"path": exc},
            code=ArchiveErrorCode.STANDARDS_MISSING,
        ) from exc


def _write(organisation, date_from, date_to, cases, output_dir: Path) -> ExportResult:
    now = timezone.now()
    documents_dir = output_dir / "dokumenter"
    documents_dir.mkdir()
    exported: dict[int, ExportedDocument] = {}
    for case in cases:
        for entry in case.journal_entries.all():
            for number, document in enumerate(entry.documents.all(), start=1):
                archival = archival_file(
                    content=document_read(document),
                    name=document.name,
                    content_type=document.content_type,
                    scan_status=document.scan_status,
                    reference=entry.reference,
                )
                (output_dir / document_path(document)).write_bytes(archival.content)
                exported[document.pk] = ExportedDocument(
                    document=document,
                    number=number,
                    puid=archival.puid,
                    format_details=archival.format_details,
                    sha256=archival.sha256,
                    size=len(archival.content),
                    conversion=archival.conversion,
                )

    entries = [e for case in cases for e in case.journal_entries.all()]
    events = (
        audit_events_for(object_type=CASE, ids=[c.pk for c in cases])
        + audit_events_for(object_type=ENTRY, ids=[e.pk for e in entries])
        + audit_events_for(object_type=DOCUMENT, ids=list(exported))
    )
    contents = ExportContents(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        cases=cases,
        documents=exported,
        audit=AuditTrail(sorted(events, key=lambda e: (e.occurred_at, e.pk))),
        created_at=now,
    )

    trees = {
        "arkivstruktur": arkivstruktur.build(contents),
        "endringslogg": endringslogg.build(contents),
        "loependeJournal": journals.build(contents, public=False),
        "offentligJournal": journals.build(contents, public=True),
    }
    occurrences = {
        "arkivstruktur": ("mappe", "registrering", "dokumentbeskrivelse", "dokumentobjekt"),
        "endringslogg": ("endring",),
        "loependeJournal": ("journalregistrering",),
        "offentligJournal": ("journalregistrering",),
    }
    xml_files = []
    for name, root in trees.items():
        _validate(root, f"{name}.xsd")
        content = serialise(root)
        (output_dir / f"{name}.xml").write_bytes(content)
        xml_files.append(
            addml.XmlFile(
                name=name,
                checksum=hashlib.sha256(content).hexdigest(),
                occurrences={
                    element: len(root.findall(f".//{{*}}{element}"))
                    for element in occurrences[name]
                },
            )
        )

    schema_checksums = {}
    for export_name in standards.SCHEMA_FILES:
        source = standards.schema_path(export_name)
        shutil.copyfile(source, output_dir / export_name)
        schema_checksums[export_name] = hashlib.sha256(source.read_bytes()).hexdigest()

    description = addml.build(
        contents,
        files=xml_files,
        schema_checksums=schema_checksums,
        document_count=len(exported),
        has_screened=any(c.screening_basis for c in cases)
        or any(e.screening_basis for e in entries),
    )
    _validate(description, "addml.xsd")
    addml_content = serialise(description)
    (output_dir / ADDML_FILE).write_bytes(addml_content)
    return ExportResult(
        location=str(output_dir),
        cases=len(cases),
        journal_entries=len(entries),
        documents=len(exported),
        converted=sum(1 for d in exported.values() if d.conversion is not None),
        covered=sum(1 for d in exported.values() if d.conversion and not d.conversion.content_kept),
        arkivuttrekk_sha256=hashlib.sha256(addml_content).hexdigest(),
    )


def _validate(root: etree._Element, schema_name: str) -> None:
    """A file that does not meet its schema is a fault in the export, not in the data:
    stop, rather than hand the archive something it will refuse."""
    errors = standards.validation_errors(etree.ElementTree(root), schema_name)
    if errors:
        raise ValidationError(
            _("The export does not meet %(schema)s: %(errors)s")
            % {"schema": schema_name, "errors": "; ".join(errors[:5])},
            code=ArchiveErrorCode.INVALID_EXPORT,
        )
