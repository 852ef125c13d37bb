"""The register (samarbeidsregisteret) as data: the matrix, and one row per participation
with the column set shared by the JSON rows and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from samvirke.organisations import selectors
from samvirke.organisations.models import ArrangementStatus, CooperationArrangement

# The CSV columns, in order. Keep in step with the register's HTML export.
REGISTER_COLUMNS = (
    "arrangement",
    "area",
    "legal_form",
    "host",
    "host_unit",
    "participant",
    "municipality_number",
    "from",
    "until",
    "cost_share",
    "status",
)


@dataclass(frozen=True)
class RegisterRow:
    arrangement_id: int
    arrangement: str
    area: str
    legal_form: str
    host: str
    host_unit: str
    participant: str
    municipality_number: str
    starts_on: date | None
    ends_on: date | None
    cost_share: Decimal | None
    status: str

    def as_csv(self) -> list[str]:
        return [
            self.arrangement,
            self.area,
            self.legal_form,
            self.host,
            self.host_unit,
            self.participant,
            self.municipality_number,
            self.starts_on.isoformat() if self.starts_on else "",
            self.ends_on.isoformat() if self.ends_on else "",
            f"{self.cost_share}" if self.cost_share is not None else "",
            self.status,
        ]


def register_matrix(*, user) -> dict:
    """The register as municipalities, areas and the non-empty cells between them."""
    register = selectors.register_build(user=user)
    cells = [
        {"municipality": municipality_id, "area": area_id, "arrangements": arrangements}
        for (municipality_id, area_id), arrangements in sorted(register.cells.items())
        if any(m.id == municipality_id for m in register.municipalities)
    ]
    return {"municipalities": register.municipalities, "areas": register.areas, "cells": cells}


def register_rows(
    *, arrangements: Iterable[CooperationArrangement], current_only: bool = True
) -> list[RegisterRow]:
    """One row per participation of each arrangement that has not ended. The
    arrangements come from `arrangement_list`, with participants prefetched."""
    today = timezone.localdate()
    rows: list[RegisterRow] = []
    for arrangement in arrangements:
        if arrangement.status == ArrangementStatus.ENDED:
            continue
        for participation in arrangement.participations.all():
            if current_only and not participation.is_current(today):
                continue
            organisation = participation.organisation
            rows.append(
                RegisterRow(
                    arrangement_id=arrangement.id,
                    arrangement=arrangement.name,
                    area=arrangement.area.label(),
                    legal_form=str(arrangement.get_legal_form_display()),
                    host=arrangement.host.name,
                    host_unit=arrangement.host_unit.name if arrangement.host_unit else "",
                    participant=organisation.name,
                    municipality_number=organisation.number,
                    starts_on=participation.starts_on,
                    ends_on=participation.ends_on,
                    cost_share=participation.cost_share,
                    status=str(arrangement.get_status_display()),
                )
            )
    return rows


def register_csv(rows: Iterable[RegisterRow]) -> Iterator[str]:
    """The rows as CSV text, header first, one chunk per line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REGISTER_COLUMNS)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate(0)
        # a leading =, +, - or @ makes spreadsheets run a formula: quote it away
        writer.writerow([f"'{v}" if v[:1] in ("=", "+", "-", "@") else v for v in row.as_csv()])
        yield buffer.getvalue()
