"""The demonstration's volunteers: fictitious people (addresses at example.org) in the library programme, 312 of them
recruited in 2017–2018, about half of those still active carrying on in the 2019 edition."""

from __future__ import annotations

import datetime
import unicodedata

from ochotnicy.demo_editions import LIBRARIES_2017, LIBRARIES_2019
from ochotnicy.demo_institutions import LIBRARIES_2017_2018, LIBRARIES_IN_2019
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

# How many volunteers each 2017–2018 library recruited (in the order of LIBRARIES_2017_2018): 312 in all.
_RECRUITED = (22, 18, 9, 15, 12, 20, 8, 14, 11, 16, 7, 13, 19, 10, 12, 17, 6, 14, 9, 11, 15, 8, 13, 13)

_FIRST_DAY_2017, _RECRUITMENT_DAYS = datetime.date(2017, 4, 3), 575  # until the end of October 2018
_END_2018 = datetime.date(2018, 12, 21)
_FIRST_DAY_2019 = datetime.date(2019, 3, 4)


def _ascii(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _surname(surname: str, woman: bool) -> str:
    return surname[:-1] + "a" if woman and surname.endswith("i") else surname


def _volunteers() -> tuple[tuple[Volunteer, ...], tuple[Membership, ...]]:
    volunteers: list[Volunteer] = []
    memberships: list[Membership] = []
    emails: set[str] = set()
    number = 0
    for place, (library, recruited) in enumerate(zip(LIBRARIES_2017_2018, _RECRUITED)):
        for n in range(recruited):
            number += 1
            woman = number % 20 < 13  # library volunteers are mostly women
            first = _WOMEN[(number * 7 + 3) % len(_WOMEN)] if woman else _MEN[(number * 5 + 1) % len(_MEN)]
            last = _surname(_SURNAMES[(number * 13 + 5) % len(_SURNAMES)], woman)
            email = f"{_ascii(first)}.{_ascii(last)}@example.org"
            if email in emails:
                email = f"{_ascii(first)}.{_ascii(last)}.{number}@example.org"
            emails.add(email)
            phone = f"+48 {500 + number % 300} {number * 37 % 1000:03d} {number * 91 % 1000:03d}" if number % 3 else None
            key = f"v{number:03d}"
            volunteers.append(Volunteer(key, first, last, email, phone))
            joined = _FIRST_DAY_2017 + datetime.timedelta(days=(n * _RECRUITMENT_DAYS) // recruited + place % 9)
            left = None
            if number % 9 == 4:  # about one in nine stops volunteering before the end of 2018
                left = min(joined + datetime.timedelta(days=45 + number * 17 % 200), _END_2018)
            memberships.append(Membership(key, library, LIBRARIES_2017, joined, left))
            if left is None and library in LIBRARIES_IN_2019 and number % 2 == 0:
                # Half of those still active in a library that continues carry on in the 3rd edition.
                joined_2019 = _FIRST_DAY_2019 + datetime.timedelta(days=number * 11 % 90)
                memberships.append(Membership(key, library, LIBRARIES_2019, joined_2019))
    return tuple(volunteers), tuple(memberships)


VOLUNTEERS, MEMBERSHIPS = _volunteers()
