"""Invented test persons for the development identity provider. TEST DATA: the names are
made up and the national identity numbers are in the synthetic series (month + 80), so
they can never belong to a real person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samvirke.accounts.national_id import synthetic


@dataclass(frozen=True)
class TestPerson:
    key: str
    given_name: str
    family_name: str
    birth_date: dt.date
    individual: int

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def national_id(self) -> str:
        return synthetic(self.birth_date, self.individual)


PERSONS: tuple[TestPerson, ...] = (
    TestPerson("p1", "Ingrid", "Testesen", dt.date(1985, 3, 14), 123),
    TestPerson("p2", "Ola", "Prøvesen", dt.date(1972, 11, 2), 456),
    TestPerson("p3", "Fatima", "Demodottir", dt.date(1999, 6, 30), 210),
    TestPerson("p4", "Jonas", "Eksempelberg", dt.date(1958, 1, 21), 305),
    TestPerson("p5", "Aino", "Syntetisk", dt.date(2006, 9, 9), 512),
    TestPerson("p6", "Mikkel", "Fiktivsen", dt.date(1991, 12, 24), 77),
    TestPerson("p7", "Sara", "Oppdiktet-Lie", dt.date(1964, 5, 17), 640),
)
BY_KEY = {p.key: p for p in PERSONS}
