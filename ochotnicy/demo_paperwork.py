"""The paperwork the law asks of the library editions' memberships (art. 44 and 46 of the volunteering act, a minor's
guardian): the written agreements coordinators entered after their volunteers joined, a few never entered; the 3rd
edition's newcomers, who brought theirs on joining: teenagers with their guardians' consent, and short engagements
for the summer and the Noc Bibliotek, insured but for a few; and one birth date corrected afterwards, which makes its
volunteer a minor whose guardian's consent is missing. Invented, computed without randomness."""

from __future__ import annotations

import datetime

from ochotnicy.demo_editions import LIBRARIES_2019
from ochotnicy.demo_model import Agreement, Membership, Rectification, Volunteer
from ochotnicy.demo_volunteers import MEMBERSHIPS as EARLIER
from ochotnicy.demo_volunteers import email

D = datetime.date

# Teenagers of the 3rd edition (under 18 on the day they joined): key, first name, last name, born, library, joined.
_MINORS = (
    ("v313", "Julia", "Zawadzka", D(2003, 2, 11), "lib-bemowo-60", D(2019, 3, 12)),
    ("v314", "Szymon", "Kubiak", D(2002, 10, 27), "lib-mokotow-25", D(2019, 3, 18)),
    ("v315", "Natalia", "Lis", D(2002, 6, 3), "lib-wola-36", D(2019, 4, 2)),
    ("v316", "Igor", "Sikora", D(2001, 12, 19), "lib-targowek-111", D(2019, 4, 9)),
)
# Registered as born in 2000, so taken for an adult on joining: the ID card said 2002 (the correction below).
_MISTAKEN = ("v317", "Hanna", "Sadowska", D(2000, 8, 21), "lib-ursynow-147", D(2019, 4, 23))
RECTIFICATIONS = (
    Rectification("v317", D(2002, 8, 21), "Pomyłka w roku urodzenia przy rejestracji (dowód osobisty: 2002)."),
)

# Short engagements (10–20 days) of the 3rd edition: key, names, library, joined, left, insured (NNW).
_SHORT = (
    ("v318", "Kacper", "Mazurek", "lib-bemowo-60", D(2019, 7, 1), D(2019, 7, 19), True),
    ("v319", "Zofia", "Kalinowska", "lib-mokotow-25", D(2019, 7, 8), D(2019, 7, 19), True),
    ("v320", "Antoni", "Wysocki", "lib-wola-36", D(2019, 7, 15), D(2019, 7, 31), False),
    ("v321", "Weronika", "Adamska", "lib-targowek-111", D(2019, 8, 5), D(2019, 8, 16), True),
    ("v322", "Oskar", "Jasiński", "lib-ursynow-147", D(2019, 9, 26), D(2019, 10, 8), True),
    ("v323", "Filip", "Bąk", "lib-ppn-97", D(2019, 9, 30), D(2019, 10, 12), False),
    ("v324", "Oliwia", "Kaczmarek", "lib-srodmiescie-16", D(2019, 10, 1), D(2019, 10, 14), True),
    ("v325", "Maja", "Wrona", "lib-bialoleka-118", D(2019, 11, 4), D(2019, 11, 22), False),
)

_WITHOUT_AGREEMENT_EVERY = 40
"""One in so many of the earlier memberships never had its agreement entered: the list of what is missing shows them."""


def _newcomers() -> tuple[tuple[Volunteer, ...], tuple[Membership, ...]]:
    volunteers, memberships = [], []
    teenagers = [(person, True) for person in _MINORS] + [(_MISTAKEN, False)]  # the consent of those known to be minors
    for (key, first, last, born, library, joined), consent in teenagers:
        volunteers.append(Volunteer(key, first, last, email(first, last), None, born))
        memberships.append(Membership(key, library, LIBRARIES_2019, joined, agreement_signed_on=joined,
                                      guardian_consent=consent))
    for key, first, last, library, joined, left, insured in _SHORT:
        volunteers.append(Volunteer(key, first, last, email(first, last), None))
        memberships.append(Membership(key, library, LIBRARIES_2019, joined, left, accident_insurance=insured))
    return tuple(volunteers), tuple(memberships)


def _agreements() -> tuple[Agreement, ...]:
    """Signed from three days before joining to a week after, as the coordinator got round to it."""
    return tuple(Agreement(membership, membership.joined_on + datetime.timedelta(days=n * 5 % 11 - 3))
                 for n, membership in enumerate(EARLIER) if n % _WITHOUT_AGREEMENT_EVERY != 7)


VOLUNTEERS, MEMBERSHIPS = _newcomers()
AGREEMENTS = _agreements()
