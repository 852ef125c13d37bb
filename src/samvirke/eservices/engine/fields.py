"""Reading and validating one field's submitted value, per field type.

Each parser takes the field's definition and the submitted data and returns a `Parsed`:
the cleaned value (JSON-friendly: strings, numbers, booleans, lists, dicts; `None` when
empty), the raw text to show again, and the errors. Compound fields (address, property id,
map point) have parts, submitted as `<name>.<part>`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.eservices.engine.checks import (
    national_id_is_valid,
    organisation_number_is_valid,
    point_is_in_norway,
)
from samvirke.eservices.engine.text import translated
from samvirke.eservices.engine.visibility import is_filled
from samvirke.eservices.errors import EservicesErrorCode

PHONE = re.compile(r"^\+?[0-9]{8,15}$")
POSTCODE = re.compile(r"^[0-9]{4}$")
DATE_LIMIT = re.compile(r"^today(?:([+-])([0-9]+)([dy]))?$")
#: How many files a multiple-file question takes when the definition gives no `max_files`.
DEFAULT_MAX_FILES = 10

# The parts of compound fields: (part, needed once the answer is started, input mode)
COMPOUND_PARTS: dict[str, list[tuple[str, bool, str]]] = {
    "address": [("street", True, "text"), ("postcode", True, "numeric"), ("city", True, "text")],
    "property_id": [
        ("municipality", True, "numeric"),
        ("gnr", True, "numeric"),
        ("bnr", True, "numeric"),
        ("fnr", False, "numeric"),
        ("snr", False, "numeric"),
    ],
    "map_point": [("lat", True, "decimal"), ("lon", True, "decimal")],
}


def part_label(kind: str, part: str) -> str:
    labels = {
        "street": _("Street address"),
        "postcode": _("Postcode"),
        "city": _("Post town"),
        "municipality": _("Municipality number"),
        "gnr": _("Farm number (gnr)"),
        "bnr": _("Holding number (bnr)"),
        "fnr": _("Leasehold number (fnr)"),
        "snr": _("Section number (snr)"),
        "lat": _("Latitude"),
        "lon": _("Longitude"),
    }
    return labels[part]


@dataclass
class FieldError:
    """An error on a field (or one of its parts): `target` is the HTML id to link to."""

    key: str
    target: str
    code: str
    message: str
    label: str = ""  # the field's label (and part), for the error summary


@dataclass
class Parsed:
    value: Any = None
    raw: Any = ""
    errors: list[FieldError] = dc_field(default_factory=list)


class Source:
    """Submitted data: a QueryDict or a plain dict of strings/lists, plus uploaded files."""

    def __init__(self, data=None, files=None):
        self.data = data or {}
        self.files = files or {}

    def get(self, name: str) -> str:
        value = self.data.get(name, "")
        if isinstance(value, list):
            value = value[-1] if value else ""
        return value if isinstance(value, str) else str(value)

    def getlist(self, name: str) -> list[str]:
        if hasattr(self.data, "getlist"):
            values = self.data.getlist(name)
        else:
            value = self.data.get(name, [])
            values = value if isinstance(value, list) else [value]
        return [v if isinstance(v, str) else str(v) for v in values]

    def files_for(self, name: str) -> list:
        if hasattr(self.files, "getlist"):
            return self.files.getlist(name)
        value = self.files.get(name, [])
        return value if isinstance(value, list) else [value]


def date_limit(limit: str, today: dt.date | None = None) -> dt.date:
    """An ISO date, or `today`, `today+14d`, `today-18y`."""
    today = today or timezone.localdate()
    match = DATE_LIMIT.match(limit)
    if not match:
        return dt.date.fromisoformat(limit)
    sign, amount, unit = match.groups()
    if not sign:
        return today
    n = int(amount) * (1 if sign == "+" else -1)
    if unit == "d":
        return today + dt.timedelta(days=n)
    year = today.year + n
    # 29 February in a year without one becomes 28 February
    day = min(today.day, 28) if today.month == 2 and today.day == 29 else today.day
    return today.replace(year=year, day=day)


class FieldParser:
    def __init__(self, field: dict, *, name: str, html_id: str, language: str):
        self.field = field
        self.key = field["key"]
        self.kind = field["type"]
        self.name = name
        self.html_id = html_id
        self.language = language
        self.rules = field.get("validation", {})

    def error(self, code: str, message: str, part: str | None = None) -> FieldError:
        target = f"{self.html_id}-{part}" if part else self.html_id
        label = translated(self.field.get("label"), self.language)
        if part:
            label = f"{label}, {part_label(self.kind, part).lower()}"
        return FieldError(key=self.key, target=target, code=code, message=message, label=label)

    def required_error(self, part: str | None = None) -> FieldError:
        return self.error(EservicesErrorCode.REQUIRED, _("This field is required."), part)

    # --- per type -------------------------------------------------------------------

    def parse(self, source: Source, previous: Any = None) -> Parsed:
        method = getattr(self, f"parse_{self.kind}")
        parsed: Parsed = method(source, previous)
        if not parsed.errors and not is_filled(parsed.value) and self.field.get("required"):
            first_part = COMPOUND_PARTS.get(self.kind, [(None,)])[0][0]
            parsed.errors.append(self.required_error(first_part))
        return parsed

    def _text(self, source: Source) -> Parsed:
        raw = source.get(self.name).strip()
        if not raw:
            return Parsed(None, raw)
        errors = []
        rules = self.rules
        if "min_length" in rules and len(raw) < rules["min_length"]:
            errors.append(
                self.error(
                    EservicesErrorCode.MIN_LENGTH,
                    _("Write at least %(n)s characters.") % {"n": rules["min_length"]},
                )
            )
        if "max_length" in rules and len(raw) > rules["max_length"]:
            errors.append(
                self.error(
                    EservicesErrorCode.MAX_LENGTH,
                    _("Write at most %(n)s characters.") % {"n": rules["max_length"]},
                )
            )
        if "pattern" in rules and not re.fullmatch(rules["pattern"], raw):
            message = translated(rules.get("pattern_message"), self.language) or _(
                "The answer is not in the expected format."
            )
            errors.append(self.error(EservicesErrorCode.PATTERN, message))
        return Parsed(None if errors else raw, raw, errors)

    def parse_text(self, source: Source, previous: Any) -> Parsed:
        return self._text(source)

    parse_long_text = parse_text

    def parse_email(self, source: Source, previous: Any) -> Parsed:
        parsed = self._text(source)
        if parsed.value:
            try:
                EmailValidator()(parsed.value)
            except Exception:
                return Parsed(
                    None,
                    parsed.raw,
                    [
                        self.error(
                            EservicesErrorCode.INVALID_EMAIL,
                            _("Enter an e-mail address like name@example.no."),
                        )
                    ],
                )
        return parsed

    def parse_phone(self, source: Source, previous: Any) -> Parsed:
        raw = source.get(self.name).strip()
        compact = re.sub(r"[\s-]", "", raw)
        if raw and not PHONE.match(compact):
            return Parsed(
                None,
                raw,
                [
                    self.error(
                        EservicesErrorCode.INVALID_PHONE,
                        _("Enter a phone number of 8 to 15 digits."),
                    )
                ],
            )
        return Parsed(compact or None, raw)

    def parse_number(self, source: Source, previous: Any) -> Parsed:
        raw = source.get(self.name).strip()
        if not raw:
            return Parsed(None, raw)
        try:
            number = Decimal(raw.replace(" ", "").replace("\u00a0", "").replace(",", "."))
            # huge exponents ("1e999999999") would take ages to turn into an int
            if not number.is_finite() or number.adjusted() > 15:
                raise InvalidOperation
        except InvalidOperation:
            return Parsed(
                None, raw, [self.error(EservicesErrorCode.INVALID_NUMBER, _("Enter a number."))]
            )
        value: int | float = int(number) if number == number.to_integral_value() else float(number)
        errors = []
        if "min" in self.rules and value < self.rules["min"]:
            errors.append(
                self.error(
                    EservicesErrorCode.MIN_VALUE,
                    _("Enter %(n)s or more.") % {"n": self.rules["min"]},
                )
            )
        if "max" in self.rules and value > self.rules["max"]:
            errors.append(
                self.error(
                    EservicesErrorCode.MAX_VALUE,
                    _("Enter %(n)s or less.") % {"n": self.rules["max"]},
                )
            )
        return Parsed(None if errors else value, raw, errors)

    def parse_date(self, source: Source, previous: Any) -> Parsed:
        raw = source.get(self.name).strip()
        if not raw:
            return Parsed(None, raw)
        value = None
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                value = dt.datetime.strptime(raw, pattern).date()
                break
            except ValueError:
                continue
        if value is None:
            return Parsed(
                None,
                raw,
                [self.error(EservicesErrorCode.INVALID_DATE, _("Enter a date like 31.01.2026."))],
            )
        errors = []
        if "min_date" in self.rules and value < date_limit(self.rules["min_date"]):
            limit = date_limit(self.rules["min_date"]).strftime("%d.%m.%Y")
            errors.append(
                self.error(
                    EservicesErrorCode.MIN_DATE, _("Enter %(date)s or later.") % {"date": limit}
                )
            )
        if "max_date" in self.rules and value > date_limit(self.rules["max_date"]):
            limit = date_limit(self.rules["max_date"]).strftime("%d.%m.%Y")
            errors.append(
                self.error(
                    EservicesErrorCode.MAX_DATE, _("Enter %(date)s or earlier.") % {"date": limit}
                )
            )
        return Parsed(None if errors else value.isoformat(), raw, errors)

    def parse_single_choice(self, source: Source, previous: Any) -> Parsed:
        raw = source.get(self.name)
        if not raw:
            return Parsed(None, raw)
        if raw not in {o["value"] for o in self.field["options"]}:
            return Parsed(
                None,
                "",
                [self.error(EservicesErrorCode.INVALID_CHOICE, _("Choose one of the options."))],
            )
        return Parsed(raw, raw)

    def parse_multiple_choice(self, source: Source, previous: Any) -> Parsed:
        allowed = [o["value"] for o in self.field["options"]]
        raw = [v for v in source.getlist(self.name) if v]
        if any(v not in allowed for v in raw):
            return Parsed(
                None,
                [],
                [self.error(EservicesErrorCode.INVALID_CHOICE, _("Choose among the options."))],
            )
        value = [v for v in allowed if v in raw]  # definition order, no duplicates
        errors = []
        if value and "min" in self.rules and len(value) < self.rules["min"]:
            errors.append(
                self.error(
                    EservicesErrorCode.MIN_CHOICES,
                    _("Choose at least %(n)s.") % {"n": self.rules["min"]},
                )
            )
        if "max" in self.rules and len(value) > self.rules["max"]:
            errors.append(
                self.error(
                    EservicesErrorCode.MAX_CHOICES,
                    _("Choose at most %(n)s.") % {"n": self.rules["max"]},
                )
            )
        return Parsed(None if errors else (value or None), value, errors)

    def parse_yes_no(self, source: Source, previous: Any) -> Parsed:
        raw = source.get(self.name)
        if raw in ("yes", "no"):
            return Parsed(raw == "yes", raw)
        if raw:
            return Parsed(
                None, "", [self.error(EservicesErrorCode.INVALID_CHOICE, _("Answer yes or no."))]
            )
        return Parsed(None, "")

    def parse_national_id(self, source: Source, previous: Any) -> Parsed:
        raw = source.get(self.name).strip()
        compact = re.sub(r"\s", "", raw)
        if compact and not national_id_is_valid(compact):
            return Parsed(
                None,
                raw,
                [
                    self.error(
                        EservicesErrorCode.INVALID_NATIONAL_ID,
                        _("Enter a valid national identity number of 11 digits."),
                    )
                ],
            )
        return Parsed(compact or None, raw)

    def parse_organisation_number(self, source: Source, previous: Any) -> Parsed:
        raw = source.get(self.name).strip()
        compact = re.sub(r"\s", "", raw)
        if compact and not organisation_number_is_valid(compact):
            return Parsed(
                None,
                raw,
                [
                    self.error(
                        EservicesErrorCode.INVALID_ORGANISATION_NUMBER,
                        _("Enter a valid organisation number of 9 digits."),
                    )
                ],
            )
        return Parsed(compact or None, raw)

    def parse_file(self, source: Source, previous: Any) -> Parsed:
        """Checks the declared limits on uploaded files; keeps what earlier steps got."""
        limits = self.field["files"]
        uploads = [f for f in source.files_for(self.name) if f]
        if not uploads:
            return Parsed(previous or None, "")
        errors = []
        multiple = limits.get("multiple", False)
        max_files = limits.get("max_files", DEFAULT_MAX_FILES) if multiple else 1
        if len(uploads) > max_files:
            errors.append(
                self.error(
                    EservicesErrorCode.TOO_MANY_FILES,
                    _("Attach at most %(n)s files.") % {"n": max_files},
                )
            )
        max_bytes = int(limits["max_size_mb"] * 1024 * 1024)
        for upload in uploads:
            size = getattr(upload, "size", 0) or 0
            content_type = (getattr(upload, "content_type", "") or "").split(";")[0]
            name = getattr(upload, "name", "") or ""
            if size > max_bytes:
                errors.append(
                    self.error(
                        EservicesErrorCode.FILE_TOO_LARGE,
                        _("“%(name)s” is larger than %(n)s MB.")
                        % {"name": name, "n": limits["max_size_mb"]},
                    )
                )
            if content_type not in limits["allowed_types"]:
                errors.append(
                    self.error(
                        EservicesErrorCode.FILE_TYPE_NOT_ALLOWED,
                        _("“%(name)s” is not of an allowed type.") % {"name": name},
                    )
                )
        value = [
            {
                "name": getattr(u, "name", ""),
                "size": getattr(u, "size", 0) or 0,
                "content_type": (getattr(u, "content_type", "") or "").split(";")[0],
            }
            for u in uploads
        ]
        return Parsed(None if errors else value, "", errors)

    def _parts(self, source: Source) -> dict[str, str]:
        return {
            part: source.get(f"{self.name}.{part}").strip()
            for part, _needed, _mode in COMPOUND_PARTS[self.kind]
        }

    def _missing_parts(self, raw: dict[str, str]) -> list[FieldError]:
        """A started compound answer must be complete in its required parts."""
        if not any(raw.values()):
            return []
        return [
            self.error(
                EservicesErrorCode.REQUIRED_PART,
                _("Fill in %(part)s.") % {"part": part_label(self.kind, part)},
                part,
            )
            for part, needed, _mode in COMPOUND_PARTS[self.kind]
            if needed and not raw[part]
        ]

    def parse_address(self, source: Source, previous: Any) -> Parsed:
        raw = self._parts(source)
        errors = self._missing_parts(raw)
        if raw["postcode"] and not POSTCODE.match(raw["postcode"]):
            errors.append(
                self.error(
                    EservicesErrorCode.INVALID_POSTCODE,
                    _("A postcode has four digits."),
                    "postcode",
                )
            )
        if errors or not any(raw.values()):
            return Parsed(None, raw, errors)
        return Parsed(dict(raw), raw)

    def parse_property_id(self, source: Source, previous: Any) -> Parsed:
        raw = self._parts(source)
        errors = self._missing_parts(raw)
        if raw["municipality"] and not re.fullmatch(r"[0-9]{4}", raw["municipality"]):
            errors.append(
                self.error(
                    EservicesErrorCode.INVALID_MUNICIPALITY_NUMBER,
                    _("A municipality number has four digits."),
                    "municipality",
                )
            )
        for part in ("gnr", "bnr", "fnr", "snr"):
            if raw[part] and not (raw[part].isdigit() and 0 < int(raw[part]) <= 99999):
                errors.append(
                    self.error(
                        EservicesErrorCode.INVALID_PROPERTY_NUMBER,
                        _("%(part)s must be a whole number from 1 to 99999.")
                        % {"part": part_label(self.kind, part)},
                        part,
                    )
                )
        if errors or not any(raw.values()):
            return Parsed(None, raw, errors)
        value: dict[str, Any] = {"municipality": raw["municipality"]}
        for part in ("gnr", "bnr", "fnr", "snr"):
            if raw[part]:
                value[part] = int(raw[part])
        return Parsed(value, raw)

    def parse_map_point(self, source: Source, previous: Any) -> Parsed:
        raw = self._parts(source)
        errors = self._missing_parts(raw)
        numbers: dict[str, float] = {}
        for part in ("lat", "lon"):
            if raw[part]:
                try:
                    numbers[part] = float(Decimal(raw[part].replace(",", ".")))
                except InvalidOperation:
                    errors.append(
                        self.error(
                            EservicesErrorCode.INVALID_COORDINATE,
                            _("Enter a decimal number."),
                            part,
                        )
                    )
        if errors or not any(raw.values()):
            return Parsed(None, raw, errors)
        if not point_is_in_norway(numbers["lat"], numbers["lon"]):
            return Parsed(
                None,
                raw,
                [
                    self.error(
                        EservicesErrorCode.OUTSIDE_NORWAY, _("The point is not in Norway."), "lat"
                    )
                ],
            )
        return Parsed(numbers, raw)

    def parse_info(self, source: Source, previous: Any) -> Parsed:
        return Parsed(None, "")
