"""`as_of`: a moment in time as people and programs write it."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")


class BadMoment(ValueError):
    """Not a moment we can read; the message (Polish) says what to write."""


HELP = (
    "Podaj moment w formacie ISO 8601: datę (2021-12-31 = stan na koniec tego dnia czasu warszawskiego) "
    "albo datę z godziną (2021-12-31T18:00, czas warszawski, lub ze strefą: 2021-12-31T17:00:00Z)."
)


def parse(text: str) -> datetime.datetime:
    """An aware UTC datetime. A date alone means the end of that day in Warsaw; a time without
    a zone is Warsaw time (what the office's clocks show)."""
    text = (text or "").strip()
    if not text:
        raise BadMoment(HELP)
    try:
        # Every way ISO 8601 writes a day alone (20211231 too) means its end, never its first instant.
        moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time.max, tzinfo=WARSAW)
    except ValueError:
        try:
            moment = datetime.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError as exc:
            raise BadMoment(f"Nie rozumiem „{text[:40]}”. {HELP}") from exc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=WARSAW)
    if not 1970 <= moment.year <= 9998:
        raise BadMoment(f"Rok {moment.year} jest poza zakresem. {HELP}")
    return moment.astimezone(datetime.timezone.utc)


def in_warsaw(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(WARSAW)
