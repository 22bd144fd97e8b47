"""Monthly hours of a membership: recorded by a coordinator, then approved or declined once (no I/O).

The rules: the month lies within the membership and is not still to come; the hours are over 0 and at most the
hours the month has; one entry per membership and month, unless the earlier one was declined (a declined entry
stays, with its reason).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal

from infra.errors import Conflict, RuleBroken
from infra.freetext import required_words

SUBMITTED, APPROVED, DECLINED = "submitted", "approved", "declined"
STATUSES = (SUBMITTED, APPROVED, DECLINED)

MONTHS = ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
          "październik", "listopad", "grudzień")


@dataclasses.dataclass(frozen=True)
class HoursEntry:
    id: str
    membership_id: str
    month: str
    """"YYYY-MM"."""
    hours: Decimal
    activity: str | None
    status: str = SUBMITTED
    reason: str | None = None


def month_named(month: str) -> str:
    """"2021-10" → "październik 2021"."""
    first = first_day(month)
    return f"{MONTHS[first.month - 1]} {first.year}"


def first_day(month: str) -> datetime.date:
    year, number = month.split("-")
    return datetime.date(int(year), int(number), 1)


def last_day(month: str) -> datetime.date:
    first = first_day(month)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def hours_in(month: str) -> Decimal:
    """Every hour of the month: 24 a day (744 in October)."""
    return Decimal(24 * last_day(month).day)


def check_month(month: str, *, joined_on: datetime.date, left_on: datetime.date | None, today: datetime.date) -> None:
    """The month lies within the membership, and has begun."""
    named = month_named(month)
    if first_day(month) > today:
        raise RuleBroken(f"Miesiąc {named} jeszcze się nie zaczął: godziny wpisuje się za miesiąc bieżący lub miniony.",
                         rule="month_in_future", field="month")
    if last_day(month) < joined_on or (left_on is not None and first_day(month) > left_on):
        until = f"do {left_on.isoformat()}" if left_on is not None else "i trwa nadal"
        raise RuleBroken(
            f"Miesiąc {named} nie mieści się w członkostwie (od {joined_on.isoformat()} {until}).",
            rule="month_outside_membership", field="month",
        )


def check_hours(month: str, hours: Decimal) -> None:
    """Over 0, at most the hours the month has."""
    most = hours_in(month)
    if not Decimal(0) < hours <= most:
        raise RuleBroken(f"Liczba godzin musi być większa od 0 i nie większa niż liczba godzin w miesiącu "
                         f"{month_named(month)} ({most}).", rule="hours_out_of_range", field="hours")


def check_first_of_month(entries: Iterable[HoursEntry], membership_id: str, month: str) -> None:
    """One entry per membership and month stands; a declined one makes room for another."""
    for entry in entries:
        if entry.membership_id == membership_id and entry.month == month and entry.status != DECLINED:
            state = "czeka na zatwierdzenie" if entry.status == SUBMITTED else "została zatwierdzona"
            raise Conflict(f"Godziny za {month_named(month)} w tym członkostwie są już wpisane ({entry.hours} h) i "
                           f"{state}. Nowy wpis za ten miesiąc jest możliwy tylko po odrzuceniu tamtego.",
                           rule="hours_already_recorded", field="month")


def undecided(entry: HoursEntry) -> None:
    """An entry is decided once."""
    if entry.status != SUBMITTED:
        verdict = "zatwierdzony" if entry.status == APPROVED else f"odrzucony ({entry.reason})"
        raise Conflict(f"Wpis godzin za {month_named(entry.month)} został już {verdict}; decyzję podejmuje się raz.",
                       rule="hours_already_decided")


def decline_reason(reason: str) -> str:
    return required_words(reason, field="reason", message="Podaj powód odrzucenia godzin.", rule="required")
