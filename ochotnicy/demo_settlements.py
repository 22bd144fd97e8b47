"""How the 2021 autumn round's grants were settled: each partnership's final report, accepted in January 2022
(the seeds: the round was summed up with the projects' leaders that January).

Most partnerships spent their whole grant; a few returned what they did not spend (12,40 zł, 150,00 zł …).
One report was first returned for correction. The figures are invented, plausible and fixed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ochotnicy.demo_model import Report, Settlement


def _report(spent: str, volunteers: int, hours: str, day: int) -> Report:
    return Report(Decimal(spent), volunteers, Decimal(hours), datetime.date(2022, 1, day))


SETTLEMENTS = (
    Settlement("a01", _report("6000.00", 18, "212.5", 10)),
    Settlement("a02", _report("5787.60", 24, "286", 12)),
    Settlement("a03", _report("8850.00", 31, "402.5", 14)),
    Settlement("a04", _report("4000.00", 9, "96", 11)),
    Settlement("a05", _report("10000.00", 27, "355", 17), returned=(
        _report("10000.00", 27, "380", 7),
        "Liczba godzin nie zgadza się z kartami pracy wolontariuszy: prosimy o poprawienie sprawozdania.")),
    Settlement("a06", _report("5500.00", 14, "168", 13)),
    Settlement("a07", _report("5850.00", 20, "240.5", 18)),
    Settlement("a08", _report("9500.00", 35, "470", 20)),
    Settlement("a09", _report("3487.60", 8, "88", 12)),
    Settlement("a10", _report("6000.00", 16, "190", 19)),
    Settlement("a11", _report("7910.00", 22, "275.5", 21)),
    Settlement("a12", _report("4500.00", 11, "120", 14)),
    Settlement("a13", _report("4975.30", 13, "150", 17)),
    Settlement("a14", _report("9500.00", 29, "388", 20)),
    Settlement("a15", _report("6000.00", 19, "226.5", 24)),
)
SETTLEMENT_BY_PROPOSAL = {s.proposal: s for s in SETTLEMENTS}
