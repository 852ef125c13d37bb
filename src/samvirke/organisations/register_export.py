"""The register as CSV: one row per arrangement and participant.

UTF-8 with a byte-order mark, so that Excel opens Norwegian and Swedish letters right;
comma-separated (RFC 4180), dates as ISO 8601, cost shares with a decimal point.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.utils.translation import gettext as _

from samvirke.organisations.selectors import RegisterExportRow

BOM = "\ufeff"


def header() -> list[str]:
    return [
        _("Arrangement"),
        _("Area of work"),
        _("Legal form"),
        _("Host"),
        _("Host unit"),
        _("Participant"),
        _("Municipality number"),
        _("From"),
        _("Until"),
        _("Cost share (%)"),
        _("Status"),
    ]


def row_values(row: RegisterExportRow) -> list[str]:
    arrangement, participation = row.arrangement, row.participation
    values = [
        arrangement.name,
        arrangement.area.label(),
        arrangement.get_legal_form_display(),
        arrangement.host.name,
        arrangement.host_unit.name if arrangement.host_unit_id else "",
    ]
    if participation is None:
        values += ["", "", "", "", ""]
    else:
        values += [
            participation.organisation.name,
            participation.organisation.number,
            participation.starts_on.isoformat() if participation.starts_on else "",
            participation.ends_on.isoformat() if participation.ends_on else "",
            str(participation.cost_share) if participation.cost_share is not None else "",
        ]
    values.append(arrangement.get_status_display())
    return values


def write_csv(stream, rows: Iterable[RegisterExportRow]) -> None:
    """Writes the BOM, the header and the rows to a text stream (or an HttpResponse)."""
    stream.write(BOM)
    writer = csv.writer(stream)
    writer.writerow(header())
    for row in rows:
        writer.writerow(row_values(row))
