"""`samvirke error-codes`: every error code the API can return, from the registered
enums (samvirke.core.errors). `--markdown` prints the tables of docs/api.md; `--update
docs/api.md` writes them into that file between its markers."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from samvirke.api.errors import ApiErrorCode, error_codes_docs_update, error_codes_markdown
from samvirke.core.errors import app_of, error_codes


class Command(BaseCommand):
    help = "List the API's error codes (the envelope's and the services' field codes)."

    def add_arguments(self, parser):
        parser.add_argument("--markdown", action="store_true", help="Print Markdown tables.")
        parser.add_argument(
            "--update", metavar="FILE", help="Write the tables into FILE (docs/api.md)."
        )

    def handle(self, *args, markdown=False, update=None, **options):
        if update:
            path = Path(update)
            path.write_text(error_codes_docs_update(path.read_text()))
            self.stdout.write(f"Wrote the error codes into {path}.")
        elif markdown:
            self.stdout.write(error_codes_markdown(), ending="")
        else:
            with translation.override("en"):
                for code in ApiErrorCode:
                    self.stdout.write(f"envelope\t{code.value}\t{code.label}")
                for enum in error_codes:
                    for code in enum:
                        self.stdout.write(f"{app_of(enum)}\t{code.value}\t{code.label}")
