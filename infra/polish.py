"""Numbers, money, plurals and cap brackets the way Polish staff write them, for messages (no I/O)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from contracts.applications import GrantCap
from contracts.vocabulary import InstitutionKind, Programme, Round

PROGRAMMES: dict[str | None, str] = {
    Programme.PARTNERSHIPS: "Partnerstwa instytucji",
    Programme.LIBRARIES: "Rozwój wolontariatu w bibliotekach",
    Programme.CULTURE_HOUSES: "Wolontariat w domach kultury",
    Programme.CARE_HOMES: "Wolontariat w domach pomocy społecznej",
}
ROUNDS: dict[str | None, str] = {Round.SPRING: "tura wiosenna", Round.AUTUMN: "tura jesienna", None: "edycja całoroczna"}
INSTITUTION_KIND: dict[str, str] = {
    InstitutionKind.LIBRARY: "Biblioteka",
    InstitutionKind.CULTURE_HOUSE: "Dom kultury",
    InstitutionKind.MAL: "Miejsce Aktywności Lokalnej (MAL)",
    InstitutionKind.SOCIAL_WELFARE_CENTRE: "Ośrodek pomocy społecznej",
    InstitutionKind.SCHOOL: "Szkoła",
    InstitutionKind.CARE_HOME: "Dom pomocy społecznej",
    InstitutionKind.NGO: "Organizacja pozarządowa",
    InstitutionKind.OTHER: "Inna",
}
"""One institution of each kind, as a form offers it."""

NBSP = "\u00a0"


def grouped(number: int) -> str:
    """1234567 → 1 234 567 (non-breaking spaces)."""
    sign = "-" if number < 0 else ""
    digits = str(abs(int(number)))
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return sign + NBSP.join(reversed(groups))


def plural(n: int, one: str, few: str, many: str) -> str:
    """Polish plural: 1 partnerstwo, 2 partnerstwa, 5 partnerstw, 22 partnerstwa."""
    n = abs(n)
    if n == 1:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """A number with its noun: "1 zdarzenie", "3 zdarzenia", "1 250 zdarzeń"."""
    return f"{grouped(n)} {plural(n, one, few, many)}"


def pln(amount: Decimal) -> str:
    """6000 → "6 000,00 zł"."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " zł"


def decimal(number: Decimal) -> str:
    """1234.5 → 1 234,5 (no trailing zeros: hours read as people say them)."""
    whole, _, fraction = f"{number.normalize():f}".partition(".")
    return grouped(int(whole)) + (f",{fraction}" if fraction else "")


def bracket_label(cap: GrantCap) -> str:
    """"2–3 instytucji", "4 lub więcej instytucji" (after "partnerstwa")."""
    if cap.max_institutions is None:
        return f"{cap.min_institutions} lub więcej instytucji"
    if cap.max_institutions == cap.min_institutions:
        return f"{cap.min_institutions} instytucji"
    return f"{cap.min_institutions}–{cap.max_institutions} instytucji"


def day(value: datetime.date | None) -> str:
    """A date as Polish forms and letters write it: 01.10.2021."""
    return value.strftime("%d.%m.%Y") if value else "–"
