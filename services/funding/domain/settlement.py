"""A granted partnership's final report (sprawozdanie końcowe): what it spent, with whom, how many hours."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from infra.errors import RuleBroken
from infra.polish import pln

CENT = Decimal("0.01")


@dataclasses.dataclass(frozen=True)
class Report:
    """One report as entered by staff; a returned one may be followed by another."""

    spent_amount: Decimal
    volunteers_engaged: int
    hours: Decimal
    submitted_on: datetime.date

    @classmethod
    def of(cls, source: object) -> Report:
        """The report's figures read off a command or an event that carries them under the same names."""
        return cls(**{f.name: getattr(source, f.name) for f in dataclasses.fields(cls)})

    def figures(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def check(report: Report, granted: Decimal) -> None:
    """The report's figures are possible: nothing negative, to the grosz, and no more spent than granted."""
    if report.spent_amount < 0:
        raise RuleBroken("Kwota wydana nie może być ujemna.", rule="spent_negative", field="spent_amount")
    if report.spent_amount != report.spent_amount.quantize(CENT):
        raise RuleBroken("Kwotę podaj z dokładnością do grosza, np. 4800.00.", rule="amount_precision", field="spent_amount")
    if report.spent_amount > granted:
        raise RuleBroken(
            f"Wydano {pln(report.spent_amount)}, a przyznano {pln(granted)}: kwota wydana nie może przekraczać "
            "przyznanego dofinansowania.",
            rule="over_grant",
            field="spent_amount",
        )
    if report.volunteers_engaged < 0:
        raise RuleBroken("Liczba wolontariuszy nie może być ujemna.", rule="volunteers_negative", field="volunteers_engaged")
    if report.hours < 0 or report.hours != report.hours.quantize(CENT):
        raise RuleBroken(
            "Liczba godzin musi być nieujemna, z najwyżej dwoma miejscami po przecinku.", rule="hours_invalid", field="hours"
        )
