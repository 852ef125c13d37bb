"""Valid answers for any form definition, as a browser would post them: used to walk a
form through its steps in tests (library forms and forms imported only as JSON)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from samvirke.eservices.engine.fields import date_limit


def _small_png() -> bytes:
    """A real 1×1 PNG: uploads are decoded in full, so a broken one would be refused."""
    out = io.BytesIO()
    Image.new("RGBA", (1, 1), (255, 0, 0, 255)).save(out, "PNG")
    return out.getvalue()


PNG = _small_png()


def _blank_pdf() -> bytes:
    """A real one-page PDF: uploads are parsed, so a few PDF-looking bytes do not pass."""
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()
NATIONAL_ID = "14838512470"  # TEST DATA: synthetic series (month + 80)
ORGANISATION_NUMBER = "974760673"
SENTENCE = "Dette er testdata skrevet for å prøve skjemaet fra start til slutt. "


def _text(field: dict, base: str) -> str:
    rules = field.get("validation", {})
    value = base
    while len(value) < rules.get("min_length", 0):
        value += " " + base
    return value[: rules.get("max_length", 10_000)].strip()


def _date(field: dict) -> str:
    rules = field.get("validation", {})
    low = date_limit(rules["min_date"]) if "min_date" in rules else None
    high = date_limit(rules["max_date"]) if "max_date" in rules else None
    if low and high:
        return (low + (high - low) / 2).isoformat()
    return (low or high or dt.date.today()).isoformat()


def field_data(field: dict, name: str | None = None) -> dict[str, str]:
    """What a browser posts for a valid answer to the field."""
    name = name or field["key"]
    kind = field["type"]
    if kind in ("info", "file"):
        return {}
    if kind == "text":
        return {name: _text(field, "Testverdi")}
    if kind == "long_text":
        return {name: _text(field, SENTENCE)}
    if kind == "number":
        return {name: str(field.get("validation", {}).get("min", 1))}
    if kind == "date":
        return {name: _date(field)}
    if kind == "email":
        return {name: "test@example.invalid"}
    if kind == "phone":
        return {name: "12345678"}
    if kind in ("single_choice", "multiple_choice"):
        return {name: field["options"][0]["value"]}
    if kind == "yes_no":
        return {name: "no"}
    if kind == "national_id":
        return {name: NATIONAL_ID}
    if kind == "organisation_number":
        return {name: ORGANISATION_NUMBER}
    if kind == "address":
        return {
            f"{name}.street": "Testveien 1",
            f"{name}.postcode": "1830",
            f"{name}.city": "Askim",
        }
    if kind == "property_id":
        return {f"{name}.municipality": "0124", f"{name}.gnr": "1", f"{name}.bnr": "2"}
    if kind == "map_point":
        return {f"{name}.lat": "59.58", f"{name}.lon": "11.16"}
    if kind == "repeating_group":
        data = {f"{name}.rows": "1"}
        for sub in field["fields"]:
            data.update(field_data(sub, f"{name}.0.{sub['key']}"))
        return data
    raise ValueError(kind)


def step_data(step: dict) -> dict[str, str]:
    data = {"_action": "next"}
    for field in step["fields"]:
        data.update(field_data(field))
    return data


def step_files(step: dict, *, all_files: bool = False) -> dict[str, list]:
    """Uploads for the step's required file fields (every file field with `all_files`)."""
    files = {}
    for field in step["fields"]:
        if field["type"] != "file" or not (field.get("required") or all_files):
            continue
        allowed = field["files"]["allowed_types"]
        if "application/pdf" in allowed:
            upload = SimpleUploadedFile(f"{field['key']}.pdf", PDF, "application/pdf")
        else:
            upload = SimpleUploadedFile(f"{field['key']}.png", PNG, "image/png")
        files[field["key"]] = [upload]
    return files
