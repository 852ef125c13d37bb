"""Checksums and value checks for Norwegian identifiers and places."""

from __future__ import annotations

from samvirke.accounts.national_id import has_valid_checksum as national_id_is_valid

ORGANISATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

# Mainland Norway with its coast (Svalbard and Jan Mayen are outside: no municipalities).
NORWAY_BOUNDS = {"lat_min": 57.8, "lat_max": 71.3, "lon_min": 4.0, "lon_max": 31.3}


def organisation_number_is_valid(number: str) -> bool:
    """Organisasjonsnummer: nine digits, the last a mod-11 control digit."""
    if len(number) != 9 or not number.isdigit():
        return False
    remainder = (
        sum(int(d) * w for d, w in zip(number[:8], ORGANISATION_NUMBER_WEIGHTS, strict=True)) % 11
    )
    control = 0 if remainder == 0 else 11 - remainder
    return control != 10 and control == int(number[8])


def point_is_in_norway(lat: float, lon: float) -> bool:
    b = NORWAY_BOUNDS
    return b["lat_min"] <= lat <= b["lat_max"] and b["lon_min"] <= lon <= b["lon_max"]


__all__ = ["national_id_is_valid", "organisation_number_is_valid", "point_is_in_norway"]
