"""Number series: case numbers and journal numbers per municipality and year."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from samvirke.cases.models import NumberSeries

CASES = "case"
JOURNAL = "journal"


def number_next(*, organisation_id: int, series: str, year: int) -> int:
    """The next number in the series. Runs inside the caller's transaction and locks the
    series row until it commits, so two submissions never share a number."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                NumberSeries.objects.get_or_create(
                    organisation_id=organisation_id, series=series, year=year
                )
        except IntegrityError:  # created by a concurrent transaction meanwhile
            pass
        NumberSeries.objects.filter(
            organisation_id=organisation_id, series=series, year=year
        ).update(last=F("last") + 1)
        return (
            NumberSeries.objects.select_for_update()
            .values_list("last", flat=True)
            .get(organisation_id=organisation_id, series=series, year=year)
        )
