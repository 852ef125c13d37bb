"""Demo data: the ready-made forms in `library/`, imported into the regional form library
with version 1 published. Idempotent: a form already in the library is left as it is."""

from __future__ import annotations

import json
from pathlib import Path

from samvirke.eservices import services
from samvirke.eservices.models import FormDefinition

LIBRARY = Path(__file__).resolve().parent / "library"


def library_documents() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(LIBRARY.glob("*.json"))]


def load() -> None:
    for document in library_documents():
        if FormDefinition.objects.filter(slug=document["slug"]).exists():
            continue
        services.form_import(actor=None, document=document, publish=True)
