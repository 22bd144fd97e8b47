"""The library editions' course: trainings, a study visit and coordinators' meetings, trainers' monitoring visits, the
programmes libraries adopted, and the few that withdrew (the seeds: training, "stałe wsparcie i monitoring trenerów",
"program wolontariatu w każdej z bibliotek"). Titles, dates and reasons are invented; nothing here is random."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ochotnicy.demo_editions import EDITION_BY_KEY, LIBRARIES_2017, LIBRARIES_2018, LIBRARIES_2019, LIBRARY_EDITIONS
from ochotnicy.demo_institutions import ENROLMENTS
from ochotnicy.demo_model import Programme, Training, Visit, Withdrawal

D = datetime.date

WITHDRAWALS = (
    Withdrawal(LIBRARIES_2017, "lib-rembertow-1", D(2017, 6, 12),
               "Filia przenosi się do nowego lokalu i do końca roku nie prowadzi zajęć z wolontariuszami."),
    Withdrawal(LIBRARIES_2018, "lib-bielany-46", D(2018, 5, 21),
               "Koordynatorka wolontariatu odeszła z pracy, a biblioteka nie znalazła nikogo na jej miejsce."),
    Withdrawal(LIBRARIES_2018, "lib-ursynow-145", D(2018, 9, 3),
               "Remont budynku do końca roku: biblioteka nie ma gdzie przyjmować wolontariuszy."),
    Withdrawal(LIBRARIES_2019, "lib-wawer-f9", D(2019, 4, 15),
               "Za mały zespół: dwie bibliotekarki na zmianę nie mogą jednocześnie prowadzić wypożyczalni "
               "i opiekować się wolontariuszami."),
)
_WITHDRAWN = {(w.edition, w.institution): w.on for w in WITHDRAWALS}

# Each edition's sessions: (kind, title, held on, hours).
_SESSIONS = {
    LIBRARIES_2017: (
        ("meeting", "Spotkanie koordynatorów wolontariatu: początek edycji", D(2017, 3, 7), "3.00"),
        ("training", "Wolontariat w bibliotece: rekrutacja i pierwsze kroki", D(2017, 3, 21), "6.00"),
        ("training", "Koordynacja wolontariatu: role, porozumienia, bezpieczeństwo", D(2017, 4, 25), "6.00"),
        ("study_visit", "Wizyta studyjna w Miejskiej Bibliotece Publicznej w Lublinie", D(2017, 5, 18), "8.00"),
        ("training", "Motywowanie i docenianie wolontariuszy", D(2017, 9, 12), "5.50"),
        ("meeting", "Spotkanie koordynatorów wolontariatu: podsumowanie roku", D(2017, 11, 28), "3.00"),
    ),
    LIBRARIES_2018: (
        ("meeting", "Spotkanie koordynatorów wolontariatu: początek II edycji", D(2018, 2, 27), "3.00"),
        ("training", "Program wolontariatu biblioteki: od diagnozy do planu", D(2018, 3, 20), "6.00"),
        ("training", "Wolontariat seniorów i młodzieży w bibliotece", D(2018, 4, 24), "6.00"),
        ("study_visit", "Wizyta studyjna w Bibliotece Śląskiej w Katowicach", D(2018, 6, 7), "8.00"),
        ("meeting", "Spotkanie koordynatorów wolontariatu: wymiana doświadczeń po roku", D(2018, 11, 27), "2.50"),
    ),
    LIBRARIES_2019: (
        ("meeting", "Spotkanie koordynatorów wolontariatu: początek III edycji", D(2019, 2, 26), "3.00"),
        ("training", "Wolontariat w bibliotece: rekrutacja, porozumienia, bezpieczeństwo", D(2019, 3, 19), "6.00"),
        ("training", "Program wolontariatu biblioteki: diagnoza, plan, ewaluacja", D(2019, 4, 16), "6.00"),
        ("study_visit", "Wizyta studyjna w Gdańskiej Bibliotece Publicznej", D(2019, 5, 23), "8.00"),
        ("training", "Wolontariusz przy wydarzeniach: festiwale, noce bibliotek, akcje czytelnicze", D(2019, 9, 17), "6.00"),
        ("meeting", "Spotkanie koordynatorów wolontariatu: podsumowanie III edycji", D(2019, 11, 26), "3.00"),
    ),
}

_STAGES = {2: ("diagnosis", "evaluation"), 3: ("diagnosis", "implementation", "evaluation"),
           4: ("diagnosis", "planning", "implementation", "evaluation")}
_FIRST_VISIT_DAYS, _VISITS_SPAN_DAYS = 45, 245  # after the edition's opening: from mid-March to late November
_ADOPTED_AFTER_DAYS = 150  # programmes are adopted in summer, after the planning visits


def withdrawn_on(edition: str, library: str) -> datetime.date | None:
    """The day the library withdrew from the edition, if it did."""
    return _WITHDRAWN.get((edition, library))


def in_edition(edition: str, library: str, day: datetime.date) -> bool:
    """Whether the library still took part in the edition on that day (it had not withdrawn)."""
    withdrawn = withdrawn_on(edition, library)
    return withdrawn is None or day < withdrawn


def _trainings() -> tuple[Training, ...]:
    found = []
    for edition, sessions in _SESSIONS.items():
        for n, (kind, title, held_on, hours) in enumerate(sessions):
            # Most of the enrolled libraries: each session misses about one in five, a different few each time.
            attended = tuple(library for i, library in enumerate(ENROLMENTS[edition])
                             if (i * 7 + n * 3) % 10 > 1 and in_edition(edition, library, held_on))
            found.append(Training(f"{edition}:t{n + 1}", edition, kind, title, held_on, Decimal(hours), attended))
    return tuple(found)


def _visits_and_programmes() -> tuple[tuple[Visit, ...], tuple[Programme, ...]]:
    visits, programmes = [], []
    for edition in LIBRARY_EDITIONS:
        opens_on = EDITION_BY_KEY[edition].opens_on
        for i, library in enumerate(ENROLMENTS[edition]):
            stages = _STAGES[2 + i % 3]
            step = _VISITS_SPAN_DAYS // (len(stages) - 1)
            for k, stage in enumerate(stages):
                day = opens_on + datetime.timedelta(days=_FIRST_VISIT_DAYS + k * step + i * 3 % 14)
                if in_edition(edition, library, day):
                    visits.append(Visit(edition, library, day, stage))
            adopted_on = opens_on + datetime.timedelta(days=_ADOPTED_AFTER_DAYS + i * 2 % 30)
            if i % 7 != 3 and in_edition(edition, library, adopted_on):  # most libraries, not every one
                programmes.append(Programme(edition, library, adopted_on))
    return tuple(visits), tuple(programmes)


TRAININGS = _trainings()
VISITS, PROGRAMMES = _visits_and_programmes()
