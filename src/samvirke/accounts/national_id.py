"""Norwegian national identity numbers (fødselsnummer / d-nummer): checksum and the
synthetic test series.

Demo and test persons use *synthetic* numbers: the month has 80 added (Skatteetaten's
series for test data), so they pass the checksum yet can never belong to a real person.
"""

from __future__ import annotations

import datetime as dt

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    control = 0 if remainder == 0 else 11 - remainder
    return None if control == 10 else control


def has_valid_checksum(number: str) -> bool:
    if len(number) != 11 or not number.isdigit():
        return False
    digits = [int(c) for c in number]
    k1 = _control_digit(digits[:9], _WEIGHTS_1)
    if k1 is None or k1 != digits[9]:
        return False
    k2 = _control_digit(digits[:10], _WEIGHTS_2)
    return k2 is not None and k2 == digits[10]


def is_synthetic(number: str) -> bool:
    """True for numbers in the synthetic test series (month + 80)."""
    return has_valid_checksum(number) and 81 <= int(number[2:4]) <= 92


def synthetic(birth_date: dt.date, individual: int) -> str:
    """The first valid synthetic number for the birth date at or after `individual`."""
    day, month, year = birth_date.day, birth_date.month + 80, birth_date.year % 100
    for candidate in range(individual, 1000):
        stem = f"{day:02d}{month:02d}{year:02d}{candidate:03d}"
        digits = [int(c) for c in stem]
        k1 = _control_digit(digits, _WEIGHTS_1)
        if k1 is None:
            continue
        k2 = _control_digit([*digits, k1], _WEIGHTS_2)
        if k2 is None:
            continue
        return f"{stem}{k1}{k2}"
    raise ValueError("No valid synthetic number for that birth date and range.")


def masked(number: str) -> str:
    """For screens that must show which number it is without showing it: birth date only."""
    return f"{number[:6]} *****" if len(number) == 11 else "*****"
