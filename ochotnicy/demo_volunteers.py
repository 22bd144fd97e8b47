"""The demonstration's volunteers: fictitious people (addresses at example.org) in the library programme, 312 of them
recruited in its 1st and 2nd editions (2017 and 2018), many carrying on from one edition into the next."""

from __future__ import annotations

import datetime
import unicodedata

from ochotnicy.demo_course import withdrawn_on
from ochotnicy.demo_editions import LIBRARIES_2017, LIBRARIES_2018, LIBRARIES_2019
from ochotnicy.demo_institutions import ENROLMENTS, LIBRARIES_2017_2018
from ochotnicy.demo_model import Membership, Volunteer

_WOMEN = (
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena", "Joanna", "Aleksandra",
    "Zofia", "Monika", "Natalia", "Karolina", "Julia", "Marta", "Dominika", "Weronika", "Paulina", "Justyna",
    "Iwona", "Beata", "Alicja", "Emilia", "Hanna", "Oliwia", "Wiktoria", "Martyna", "Patrycja", "Izabela",
    "Sylwia", "Teresa", "Halina", "Elżbieta", "Krystyna", "Danuta", "Jadwiga", "Grażyna", "Urszula", "Renata", "Maja",
)
_MEN = (
    "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Jan", "Michał", "Marcin", "Jakub", "Adam",
    "Łukasz", "Mateusz", "Kamil", "Bartosz", "Marek", "Grzegorz", "Wojciech", "Stanisław", "Szymon", "Filip",
    "Antoni", "Kacper", "Maciej", "Dawid", "Rafał", "Jerzy", "Zbigniew", "Ryszard", "Oskar", "Igor", "Leszek",
)
_SURNAMES = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
    "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
    "Nowakowski", "Pawłowski", "Michalski", "Nowicki", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński", "Król",
    "Majewski", "Olszewski", "Jaworski", "Wróbel", "Malinowski", "Pawlak", "Witkowski", "Walczak", "Stępień", "Górski",
    "Rutkowski", "Michalak", "Sikora", "Ostrowski", "Baran", "Duda", "Szewczyk", "Tomaszewski", "Pietrzak",
    "Marciniak", "Wróblewski", "Zalewski", "Jakubowski", "Jasiński", "Zawadzki", "Sadowski", "Bąk", "Chmielewski",
    "Włodarczyk", "Borkowski", "Czarnecki", "Sawicki", "Sokołowski", "Urbański", "Kubiak", "Maciejewski",
    "Szczepański", "Kucharski", "Wilk", "Kalinowski", "Lis", "Mazurek", "Wysocki", "Adamski", "Kaźmierczak",
)

# How many volunteers each library of the 1st and 2nd editions recruited (in the order of LIBRARIES_2017_2018): 312.
_RECRUITED = (22, 18, 9, 15, 12, 20, 8, 14, 11, 16, 7, 13, 19, 10, 12, 17, 6, 14, 9, 11, 15, 8, 13, 13)

# Each year's recruitment, from spring to autumn: (edition, first day, days).
_RECRUITING = ((LIBRARIES_2017, datetime.date(2017, 4, 3), 240), (LIBRARIES_2018, datetime.date(2018, 3, 5), 240))
_CARRY_ON = {LIBRARIES_2018: datetime.date(2018, 3, 5), LIBRARIES_2019: datetime.date(2019, 3, 4)}
"""The first day on which volunteers carrying on from the edition before joined the next one."""


def _ascii(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def email(first: str, last: str, number: int | None = None) -> str:
    """A fictitious person's address: first.last@example.org, numbered when two share a name."""
    return f"{_ascii(first)}.{_ascii(last)}{'' if number is None else f'.{number}'}@example.org"


def _surname(surname: str, woman: bool) -> str:
    return surname[:-1] + "a" if woman and surname.endswith("i") else surname


def _person(number: int, emails: set[str]) -> Volunteer:
    woman = number % 20 < 13  # library volunteers are mostly women
    first = _WOMEN[(number * 7 + 3) % len(_WOMEN)] if woman else _MEN[(number * 5 + 1) % len(_MEN)]
    last = _surname(_SURNAMES[(number * 13 + 5) % len(_SURNAMES)], woman)
    address = email(first, last)
    if address in emails:
        address = email(first, last, number)
    emails.add(address)
    phone = f"+48 {500 + number % 300} {number * 37 % 1000:03d} {number * 91 % 1000:03d}" if number % 3 else None
    return Volunteer(f"v{number:03d}", first, last, address, phone)


def _days(edition: str, library: str, first: datetime.date, days: int) -> int:
    """How many days from `first` a library takes volunteers in an edition: `days`, or until a week before it withdrew."""
    withdrawn = withdrawn_on(edition, library)
    return days if withdrawn is None else min(days, (withdrawn - first).days - 8)


def _recruitment(library: str, recruited: int) -> list[tuple[str, datetime.date]]:
    """(edition, day) of each of a library's recruits: spread over its editions' recruitment, a little more in the first."""
    years = [(edition, first, _days(edition, library, first, days)) for edition, first, days in _RECRUITING
             if library in ENROLMENTS[edition]]
    shares = [recruited] if len(years) == 1 else [(recruited * 11 + 19) // 20, recruited - (recruited * 11 + 19) // 20]
    return [(edition, first + datetime.timedelta(days=n * days // share + len(library) % 9))
            for (edition, first, days), share in zip(years, shares) for n in range(share)]


def _carried_on(number: int, library: str, last: Membership) -> Membership | None:
    """The membership of a volunteer still active at the end of an edition in the next edition, if they carry on."""
    following = {LIBRARIES_2017: LIBRARIES_2018, LIBRARIES_2018: LIBRARIES_2019}.get(last.edition)
    if last.left_on is not None or following is None or library not in ENROLMENTS[following]:
        return None
    if number % (3 if following == LIBRARIES_2018 else 2) == 0:  # two in three carry on into 2018, half into 2019
        return None
    first = _CARRY_ON[following]
    joined = first + datetime.timedelta(days=number * 11 % _days(following, library, first, 90))
    return Membership(last.volunteer, library, following, joined)


def _volunteers() -> tuple[tuple[Volunteer, ...], tuple[Membership, ...]]:
    volunteers: list[Volunteer] = []
    memberships: list[Membership] = []
    emails: set[str] = set()
    number = 0
    for library, recruited in zip(LIBRARIES_2017_2018, _RECRUITED):
        for edition, joined in _recruitment(library, recruited):
            number += 1
            volunteer = _person(number, emails)
            volunteers.append(volunteer)
            left = None
            if number % 9 == 4:  # about one in nine stops volunteering before the end of the year
                left = min(joined + datetime.timedelta(days=45 + number * 17 % 200), datetime.date(joined.year, 12, 21))
            membership: Membership | None = Membership(volunteer.key, library, edition, joined, left)
            while membership is not None:
                memberships.append(membership)
                membership = _carried_on(number, library, membership)
    return tuple(volunteers), tuple(memberships)


VOLUNTEERS, MEMBERSHIPS = _volunteers()
