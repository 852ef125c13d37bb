"""The legal bases a case handler may screen (skjerme) a case or a journal entry with: a
short code list of skjermingshjemler, as Norwegian journals write them.

A code is the law reference itself («Offl. § 13, jf. fvl. § 13 første ledd nr. 1»): it is
stored on the case or entry as its `screening_basis`, shown in the public journal and
exported as Noark 5's skjermingshjemmel, in bokmål whatever the reader's language, as the
journals do. Only the description, which helps the handler choose, is translated.

Offentleglova § 13 exempts information under a statutory duty of confidentiality, so
each § 13 code names the act that lays the duty down: forvaltningsloven § 13 (personal
circumstances, business secrets), barnevernsloven § 13-1 (child welfare, the act of
2021) and helsepersonelloven § 21 (health personnel). The others are exemptions the
municipality may use: offl. § 14 (internal documents), § 23 første ledd (the
municipality's financial, pay and personnel management) and § 26 femte ledd (personal
information in the journal as published on the internet).

The list follows the laws as they stand; when one of them is replaced (a new
forvaltningsloven, for one), the codes must be checked and changed with it. Codes already
stored on cases and entries are kept as they were written."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ScreeningBasis:
    code: str
    description: str | Promise

    @property
    def label(self) -> str:
        return f"{self.code} – {self.description}"


PERSONAL_CIRCUMSTANCES = "Offl. § 13, jf. fvl. § 13 første ledd nr. 1"
BUSINESS_SECRETS = "Offl. § 13, jf. fvl. § 13 første ledd nr. 2"
CHILD_WELFARE = "Offl. § 13, jf. bvl. § 13-1"
HEALTH_PERSONNEL = "Offl. § 13, jf. hpl. § 21"
INTERNAL_DOCUMENT = "Offl. § 14 første ledd"
FINANCIAL_MANAGEMENT = "Offl. § 23 første ledd"
JOURNAL_ON_THE_INTERNET = "Offl. § 26 femte ledd"

SCREENING_BASES: tuple[ScreeningBasis, ...] = (
    ScreeningBasis(
        PERSONAL_CIRCUMSTANCES,
        _("someone's personal circumstances (duty of confidentiality)"),
    ),
    ScreeningBasis(
        BUSINESS_SECRETS,
        _("business secrets: technical matters, operating or business conditions"),
    ),
    ScreeningBasis(CHILD_WELFARE, _("child welfare services' duty of confidentiality")),
    ScreeningBasis(HEALTH_PERSONNEL, _("health personnel's duty of confidentiality")),
    ScreeningBasis(
        INTERNAL_DOCUMENT,
        _("internal document prepared for the municipality's own handling of the case"),
    ),
    ScreeningBasis(
        FINANCIAL_MANAGEMENT,
        _("needed for the municipality's financial, pay or personnel management"),
    ),
    ScreeningBasis(
        JOURNAL_ON_THE_INTERNET,
        _("personal information in the journal as published on the internet"),
    ),
)

_BY_CODE = {basis.code: basis for basis in SCREENING_BASES}


def screening_basis_get(code: str) -> ScreeningBasis | None:
    """The basis with this code, or None when the code is not in the list."""
    return _BY_CODE.get((code or "").strip())


def screening_basis_choices() -> list[tuple[str, str]]:
    """(code, "code – description") for a form, in the list's order."""
    return [(basis.code, basis.label) for basis in SCREENING_BASES]
