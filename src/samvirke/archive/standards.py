"""The XML schemas of the standards an archive export (arkivuttrekk) follows: Noark 5
version 5.0 and ADDML 8.3, as published by Arkivverket.

They are not part of the package: the export reads them from the standards directory,
`SAMVIRKE_STANDARDS_DIR` (an environment variable or setting), by default
`../shared/standards` next to the checkout. The export validates every XML file it
writes against them and copies them into the export, as Arkivverket's packages do."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

NOARK5_DIR = Path("noark5") / "v5.0"
ADDML_SCHEMA = Path("addml") / "addml-8.3.xsd"

# file in the export -> where it is in the standards directory
SCHEMA_FILES = {
    "arkivstruktur.xsd": NOARK5_DIR / "arkivstruktur.xsd",
    "endringslogg.xsd": NOARK5_DIR / "endringslogg.xsd",
    "loependeJournal.xsd": NOARK5_DIR / "loependeJournal.xsd",
    "offentligJournal.xsd": NOARK5_DIR / "offentligJournal.xsd",
    "metadatakatalog.xsd": NOARK5_DIR / "metadatakatalog.xsd",
    "addml.xsd": ADDML_SCHEMA,
}


class StandardsMissing(Exception):
    """The standards directory, or a schema in it, is not there."""


def standards_dir() -> Path:
    configured = os.environ.get("SAMVIRKE_STANDARDS_DIR") or getattr(
        settings, "SAMVIRKE_STANDARDS_DIR", None
    )
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "standards"


def schema_path(export_name: str) -> Path:
    """Where the schema that the export calls `export_name` (e.g. "arkivstruktur.xsd") is."""
    path = standards_dir() / SCHEMA_FILES[export_name]
    if not path.is_file():
        raise StandardsMissing(str(path))
    return path


@cache
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def schema(export_name: str) -> etree.XMLSchema:
    """The parsed schema (cached per file)."""
    return _schema(schema_path(export_name))


def validation_errors(document: etree._ElementTree | etree._Element, export_name: str) -> list:
    """The schema's complaints about the document; empty when it is valid."""
    checker = schema(export_name)
    if checker.validate(document):
        return []
    return [f"{e.line}: {e.message}" for e in checker.error_log]
