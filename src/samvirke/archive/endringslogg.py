"""endringslogg.xml: changes to the exported cases' and journal entries' metadata.

The changes come from the audit log: an `update` event on a case or journal entry whose
changed fields map to Noark 5 metadata (title → tittel, status → saksstatus, …) becomes
an `endring`, with the values in Noark's words (a workflow status becomes «Under
behandling» or «Avsluttet»). Values that the audit log keeps hidden (personal data,
"*") are left out.

Every exported case was closed, which changed its saksstatus to «Avsluttet». When the
audit log does not hold that step (a case closed before the log existed, or by an
import), the change is taken from the case's own `closed_at`, by the person the log names
or else the case handler. So the log is never empty, which the schema would not allow."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from lxml import etree

from samvirke.archive import codes
from samvirke.archive.mapping import (
    CASE,
    ENTRY,
    ExportContents,
    case_id,
    case_responsible,
    entry_id,
    xml_datetime,
)
from samvirke.archive.xmltree import document_root, element_writer
from samvirke.audit.models import AuditAction
from samvirke.cases.core.selectors import workflow_of
from samvirke.organisations.models import Unit

NAMESPACE = "http://www.arkivverket.no/standarder/noark5/endringslogg"
NO_VALUE = "(ingen verdi)"  # tidligereVerdi and nyVerdi must not be empty

CASE_FIELDS = {
    "title": "tittel",
    "public_title": "offentligTittel",
    "screening_basis": "skjermingshjemmel",
    "status": "saksstatus",
    "handling_unit": "administrativEnhet",
    "assignee": "saksansvarlig",
}
ENTRY_FIELDS = {
    "title": "tittel",
    "public_title": "offentligTittel",
    "screening_basis": "skjermingshjemmel",
    "status": "journalstatus",
    "entry_type": "journalposttype",
    "document_date": "dokumentetsDato",
    "journal_date": "journaldato",
}

sub = element_writer(NAMESPACE)


class _Names:
    """Unit and user names for ids in the audit log, looked up once."""

    def __init__(self, events):
        unit_ids, user_ids = set(), set()
        for event in events:
            for key, values in (event.changes or {}).items():
                target = {"handling_unit": unit_ids, "assignee": user_ids}.get(
                    key.removesuffix("_id")
                )
                if target is not None and isinstance(values, list):
                    target.update(v for v in values if str(v).isdigit())
        self.units = {str(u.pk): u.name for u in Unit.objects.filter(pk__in=unit_ids)}
        self.users = {str(u.pk): str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}


def _value(value) -> str:
    text = "" if value is None else str(value).strip()
    return text or NO_VALUE


def _changes(contents: ExportContents):
    """(endretDato, systemID, metadata name, before, after, by) from the audit log."""
    names = _Names(contents.audit.events)
    rows = []
    for case in contents.cases:
        workflow = workflow_of(case.case_type)

        def case_value(field, value, workflow=workflow):
            if value in (None, ""):
                return NO_VALUE
            if field == "status":
                return (
                    codes.case_status(workflow.phase(value))
                    if value in workflow.statuses
                    else str(value)
                )
            if field == "handling_unit":
                return names.units.get(str(value), str(value))
            if field == "assignee":
                return names.users.get(str(value), str(value))
            return _value(value)

        rows += _rows(contents, CASE, case.pk, case_id(case), CASE_FIELDS, case_value)
        for entry in case.journal_entries.all():
            rows += _rows(contents, ENTRY, entry.pk, entry_id(entry), ENTRY_FIELDS, _entry_value)
        closed = [r for r in rows if r[1] == case_id(case) and r[2] == "saksstatus"]
        if not closed or closed[-1][4] != codes.CASE_CLOSED:
            rows.append(
                (
                    case.closed_at,
                    case_id(case),
                    "saksstatus",
                    codes.CASE_IN_PROGRESS,
                    codes.CASE_CLOSED,
                    contents.audit.closed_by(case) or case_responsible(case),
                )
            )
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


def _entry_value(field, value) -> str:
    if field == "status":
        return codes.ENTRY_STATUSES.get(value, _value(value))
    if field == "entry_type":
        return codes.ENTRY_TYPES.get(value, _value(value))
    return _value(value)


def _rows(contents, object_type, pk, system_id, fields, convert):
    rows = []
    for event in contents.audit.of(object_type, pk):
        if event.action != AuditAction.UPDATE:
            continue
        for key, values in sorted((event.changes or {}).items()):
            field = key.removesuffix("_id") if key.removesuffix("_id") in fields else key
            if field not in fields or not isinstance(values, list) or len(values) != 2:
                continue
            if "*" in values:  # personal data: the log kept no values
                continue
            before, after = convert(field, values[0]), convert(field, values[1])
            if before != after:
                by = event.actor_label or codes.SYSTEM_NAME
                rows.append((event.occurred_at, system_id, fields[field], before, after, by))
    return rows


def build(contents: ExportContents) -> etree._Element:
    root = document_root(NAMESPACE, "endringslogg", "endringslogg.xsd")
    for at, system_id, metadata, before, after, by in _changes(contents):
        change = sub(root, "endring")
        sub(change, "referanseArkivenhet", system_id)
        sub(change, "referanseMetadata", metadata)
        sub(change, "endretDato", xml_datetime(at))
        sub(change, "endretAv", by)
        sub(change, "tidligereVerdi", before)
        sub(change, "nyVerdi", after)
    return root
