"""Today, as the office's calendar in Warsaw says: the one place the volunteers service reads the date.

Rules that depend on the day (hours for a month still to come, an agreement overdue after 30 days, a birth date
in the future) are given it: handlers through `uow.facts.today()`, queries as an argument, so tests set the day.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")


def today() -> datetime.date:
    return datetime.datetime.now(WARSAW).date()
