"""Numbers, money and dates the way Polish staff write them: 6 000,00 zł, 31 grudnia 2021."""

from __future__ import annotations

import datetime
import decimal

from contracts.vocabulary import InstitutionKind, MonitoringStage
from infra.polish import NBSP, PROGRAMMES, ROUNDS, grouped  # noqa: F401 - PROGRAMMES, ROUNDS: this vocabulary's too
from infra.polish import decimal as decimal_number
from infra.polish import plural as plural  # part of this vocabulary: pages and reports say polish.plural
from services.reporting.moments import in_warsaw
from services.reporting.readmodel.counting import UNKNOWN
from services.reporting.readmodel.grants import GrantState
from services.reporting.readmodel.paths import Step

MONTHS_GENITIVE = (
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
)
MONTHS_SHORT = ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru")
MONTHS = (
    "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec",
    "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień",
)

KINDS: dict[str, str] = {
    InstitutionKind.LIBRARY: "Biblioteki",
    InstitutionKind.CULTURE_HOUSE: "Domy kultury",
    InstitutionKind.MAL: "Miejsca Aktywności Lokalnej",
    InstitutionKind.SOCIAL_WELFARE_CENTRE: "Ośrodki pomocy społecznej",
    InstitutionKind.SCHOOL: "Szkoły",
    InstitutionKind.CARE_HOME: "Domy pomocy społecznej",
    InstitutionKind.NGO: "Organizacje pozarządowe",
    InstitutionKind.OTHER: "Inne",
    UNKNOWN: "Jeszcze nieznany",
}
UNKNOWN_DISTRICT = "Jeszcze nieznana"
EVENTS = {
    "PartnershipProposed": "Zgłoszenie partnerstwa",
    "PartnershipWithdrawn": "Wycofanie partnerstwa",
    "MALVerified": "Pozytywna weryfikacja MAL",
    "FundingGranted": "Przyznanie dofinansowania",
    "FundingRejected": "Odmowa dofinansowania",
    "FundingRevoked": "Cofnięcie dofinansowania",
    "FundingSettled": "Przyjęcie sprawozdania końcowego (rozliczenie)",
    "InstitutionEnrolled": "Zgłoszenie instytucji do edycji",
    "InstitutionRegistered": "Rejestracja instytucji",
    "InstitutionDetailsChanged": "Poprawka danych instytucji w rejestrze",
    "VolunteerJoined": "Dołączenie wolontariusza",
    "TrainingHeld": "Szkolenie, wizyta studyjna lub spotkanie",
    "MonitoringVisitMade": "Wizyta monitorująca trenera",
    "VolunteeringProgrammeAdopted": "Przyjęcie programu wolontariatu",
    "VolunteerHoursApproved": "Zatwierdzenie godzin wolontariatu",
}
"""What the sources page calls the events behind a figure."""
GRANT_STATES: dict[str, str] = {
    GrantState.SETTLED: "Rozliczone",
    GrantState.AWAITING: "Sprawozdanie do przyjęcia",
    GrantState.RETURNED: "Sprawozdanie do poprawy",
    GrantState.UNREPORTED: "Bez sprawozdania",
    GrantState.REVOKED: "Cofnięte",
}
"""Where a grant stands in its settlement, as the page and the exports say it."""
STEPS: dict[str, str] = {
    Step.ENROLLED: "Zgłoszone",
    Step.TRAINED: "Przeszkolone",
    Step.VISITED: "Odwiedzone przez trenera",
    Step.ADOPTED: "Z przyjętym programem",
    Step.ACTIVE: "Z aktywnymi wolontariuszami",
}
"""Each step of an institution's path through an edition, as the step's column and count name it."""
WAITING: dict[str, str] = {
    Step.TRAINED: "czeka na szkolenie",
    Step.VISITED: "czeka na wizytę trenera",
    Step.ADOPTED: "czeka na przyjęcie programu",
    Step.ACTIVE: "czeka na wolontariuszy",
}
"""Where an institution stands when this is the first step it has not reached."""
STAGES: dict[str, str] = {
    MonitoringStage.DIAGNOSIS: "diagnoza",
    MonitoringStage.PLANNING: "planowanie",
    MonitoringStage.IMPLEMENTATION: "wdrażanie",
    MonitoringStage.EVALUATION: "ewaluacja",
}
"""The stage of its work a trainer's monitoring visit found."""


def number(value: int | None) -> str:
    return grouped(value or 0)


def pln(value: decimal.Decimal | str | int | None, *, grosze: bool = False) -> str:
    """Money: Decimal/"6000.00" in PLN, or an int of grosze when `grosze`; → "6 000,00 zł"."""
    if value is None:
        return "—"
    if grosze:
        total = int(value)
    else:
        total = int((decimal.Decimal(str(value)) * 100).to_integral_value(rounding=decimal.ROUND_HALF_UP))
    sign = "-" if total < 0 else ""
    total = abs(total)
    return f"{sign}{grouped(total // 100)},{total % 100:02d}{NBSP}zł"


def hours(value: decimal.Decimal | str | None) -> str:
    """Hours as people say them: "10.50" → "10,5 godz."."""
    return "—" if value is None else f"{decimal_number(decimal.Decimal(str(value)))}{NBSP}godz."


def date(value: datetime.date | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year}"


def day_of(value: datetime.datetime | None) -> str:
    """The day of a moment in Warsaw: 31 grudnia 2021."""
    return "—" if value is None else date(in_warsaw(value).date())


def moment(value: datetime.datetime | None) -> str:
    """31 grudnia 2021, 23:59 (Warsaw time)."""
    if value is None:
        return "—"
    local = in_warsaw(value)
    return f"{date(local.date())}, {local:%H:%M}"


def month_short(year: int, month: int) -> str:
    return f"{MONTHS_SHORT[month - 1]} {year}"


def kind(code: str) -> str:
    return KINDS.get(code, code)


def district(code: str) -> str:
    return UNKNOWN_DISTRICT if code == UNKNOWN else code


def edition_subtitle(edition: dict) -> str:
    parts = [PROGRAMMES.get(edition.get("programme"), edition.get("programme") or "program nieznany")]
    if edition.get("year"):
        parts.append(str(edition["year"]))
    if edition.get("programme"):
        parts.append(ROUNDS.get(edition.get("round"), edition.get("round") or ""))
    return " · ".join(p for p in parts if p)
