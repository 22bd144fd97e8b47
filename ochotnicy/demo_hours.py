"""The library editions' volunteers' monthly hours (4–20 a month) in the months of their edition's year they took part
in: most approved, a few declined with a reason and entered again (the corrected entry approved), and the 3rd
edition's last few Decembers still waiting for approval. Invented, computed without randomness."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ochotnicy.demo_course import withdrawn_on
from ochotnicy.demo_editions import EDITION_BY_KEY, LIBRARIES_2019
from ochotnicy.demo_model import Hours, Membership
from ochotnicy.demo_paperwork import MEMBERSHIPS as NEWCOMERS
from ochotnicy.demo_volunteers import MEMBERSHIPS as EARLIER

_ACTIVITIES = (
    "Głośne czytanie dzieciom", "Pomoc przy wydarzeniach biblioteki", "Porządkowanie księgozbioru",
    "Zajęcia komputerowe dla seniorów", "Książka z dostawą do domu dla osób starszych", "Klub dyskusyjny",
    "Pomoc w odrabianiu lekcji", "Gry planszowe dla młodzieży", "Rozmowy po polsku z cudzoziemcami",
)
_DECLINED = (
    "Instytucja potwierdziła mniej godzin.",
    "Karta pracy wolontariusza za ten miesiąc podaje mniej godzin niż wpis.",
    "Wpis objął też godziny z poprzedniego miesiąca, już zatwierdzone.",
)
_DECLINED_EVERY = 250
"""One entry in so many is declined first: the coordinator entered more hours than the institution confirmed."""
_WAITING_EVERY = 9
"""One in so many 3rd-edition memberships still has its December waiting for approval."""
_JOINED_LATE_DAY, _LEFT_EARLY_DAY = 20, 8
"""A month joined after its 20th day counts from the next; one left before its 8th ends with the month before."""


def _month(day: datetime.date, shift: int = 0) -> tuple[int, int]:
    number = day.year * 12 + day.month - 1 + shift
    return number // 12, number % 12 + 1


def months(membership: Membership) -> list[str]:
    """The months of its edition's year the membership took part in (until it ended, or its library withdrew)."""
    end = datetime.date(EDITION_BY_KEY[membership.edition].year, 12, 31)  # an open membership carries on in the next
    withdrawn = withdrawn_on(membership.edition, membership.institution)
    for last in (membership.left_on, withdrawn and withdrawn - datetime.timedelta(days=1)):
        end = min(end, last or end)
    first = _month(membership.joined_on, membership.joined_on.day > _JOINED_LATE_DAY)
    stop = _month(end, -(end.day < _LEFT_EARLY_DAY))
    found = []
    while first <= stop:
        found.append(f"{first[0]}-{first[1]:02d}")
        first = _month(datetime.date(first[0], first[1], 1), 1)
    return found


def _hours() -> tuple[Hours, ...]:
    found: list[Hours] = []
    for m, membership in enumerate((*EARLIER, *NEWCOMERS)):
        activity = _ACTIVITIES[m * 7 % len(_ACTIVITIES)]
        monthly = months(membership)
        for month in monthly:
            n = len(found)
            whole = 4 + (n * 7 + m * 3) % 17
            hours = Decimal(whole) + (Decimal("0.5") if whole < 20 and n % 3 == 0 else 0)
            if n % _DECLINED_EVERY == 11:
                found.append(Hours(membership, month, hours + 4 + n % 5, activity, "declined",
                                   _DECLINED[n // _DECLINED_EVERY % len(_DECLINED)]))
                found.append(Hours(membership, month, hours, activity, "approved", entry=2))
                continue
            waiting = membership.edition == LIBRARIES_2019 and month == monthly[-1] == "2019-12" \
                and m % _WAITING_EVERY == 0
            found.append(Hours(membership, month, hours, activity, "waiting" if waiting else "approved"))
    return tuple(found)


HOURS = _hours()
