"""`samvirke archive-export --municipality NUMBER --from DATE --to DATE --output DIR
[--target directory]`: a Noark 5 archive export (arkivuttrekk) of the municipality's cases
closed in the period, delivered through an archive target. See docs/archive.md."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samvirke.archive.selectors import municipality_by_number
from samvirke.archive.services import archive_export_create
from samvirke.archive.targets import archive_targets


def _date(option: str, value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s must be a date written YYYY-MM-DD, not %(value)r.")
            % {"option": option, "value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Write a Noark 5 archive export (arkivuttrekk) of a municipality's cases closed "
        "in a period: arkivstruktur.xml, endringslogg.xml, the journals, the documents as "
        "PDF/A and arkivuttrekk.xml (ADDML)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality",
            required=True,
            metavar="NUMBER",
            help="The municipality number (kommunenummer), e.g. 0124.",
        )
        parser.add_argument(
            "--from", dest="date_from", required=True, metavar="DATE", help="First day, YYYY-MM-DD."
        )
        parser.add_argument(
            "--to", dest="date_to", required=True, metavar="DATE", help="Last day, YYYY-MM-DD."
        )
        parser.add_argument(
            "--output",
            required=True,
            metavar="DIR",
            help="Where the export goes: for the directory target, an empty (or new) "
            "directory to write the export into.",
        )
        parser.add_argument(
            "--target",
            default="directory",
            choices=[identifier for identifier, _name in archive_targets.choices()],
            help="The archive target (default: directory): "
            + "; ".join(f"{identifier}: {name}" for identifier, name in archive_targets.choices())
            + ".",
        )

    def handle(self, *args, municipality, date_from, date_to, output, target, **options):
        start, end = _date("--from", date_from), _date("--to", date_to)
        organisation = municipality_by_number(municipality.strip())
        if organisation is None:
            raise CommandError(
                _("No municipality has the number %(number)r.") % {"number": municipality}
            )
        try:
            result = archive_export_create(
                organisation=organisation,
                date_from=start,
                date_to=end,
                destination=output,
                target=target,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            _(
                "Exported %(name)s's closed cases to %(path)s: cases %(cases)d, journal "
                "entries %(entries)d, documents %(documents)d (converted to PDF/A: "
                "%(converted)d)."
            )
            % {
                "cases": result.cases,
                "entries": result.journal_entries,
                "documents": result.documents,
                "converted": result.converted,
                "name": organisation.name,
                "path": result.location,
            }
        )
        if result.covered:
            self.stderr.write(
                ngettext(
                    "%(count)d document could not be converted to PDF/A; a cover page "
                    "naming the original file and its checksum stands in for it.",
                    "%(count)d documents could not be converted to PDF/A; a cover page "
                    "naming the original file and its checksum stands in for each.",
                    result.covered,
                )
                % {"count": result.covered}
            )
