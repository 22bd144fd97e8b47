"""The library programme over three yearly editions: enrolments, trainings, trainers' visits, adopted programmes, a
withdrawal, volunteers; a library and a volunteer in two editions; and an edition staff never opened."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from contracts.applications import (
    EditionOpened,
    EnrolmentWithdrawn,
    InstitutionEnrolled,
    InstitutionRegistered,
    MonitoringVisitMade,
    TrainingHeld,
    VolunteeringProgrammeAdopted,
)
from contracts.envelope import Envelope
from contracts.volunteers import VolunteerHoursApproved, VolunteerJoined, VolunteerLeft
from tests.integration.reporting.scenario import at, new_id, wrap

LIBRARIES = [
    ("Biblioteka Ochota – Filia nr 1", "Ochota"),  # in 2017 and 2018
    ("Biblioteka Wola – Filia nr 2", "Wola"),
    ("Biblioteka Mokotów – Filia nr 3", "Mokotów"),  # withdraws in 2017
    ("Biblioteka Bielany – Filia nr 4", "Bielany"),
    ("Biblioteka Wawer – Filia nr 5", "Wawer"),  # 2019
]
EDITIONS = {2017: "I", 2018: "II", 2019: "III"}


@dataclasses.dataclass
class Story:
    events: list[Envelope]
    editions: dict[int, str]  # year -> id
    libraries: list[str]  # ids, in LIBRARIES' order
    volunteers: dict[str, str]  # name -> id
    unopened: str  # an edition only named by an enrolment: staff never opened it


def story() -> Story:
    """2017 (I): three libraries, two trainings (6 h and 4,5 h), three visits, one programme, one withdrawal, three
    volunteers (one left), 20,5 hours approved; 2018 (II): the first library again and a new one, a training, a visit,
    a programme, two volunteers, one of them back from 2017, 10 hours approved; 2019 (III): one library, one volunteer."""
    editions = {year: new_id() for year in EDITIONS}
    lib = [new_id() for _ in LIBRARIES]
    volunteers = {name: new_id() for name in ("Ala", "Bartek", "Cyryl", "Dorota", "Ewa")}
    unopened = new_id()
    events: list[Envelope] = []

    def add(event, when: str, **kw) -> None:
        events.append(wrap(event, time=at(when), **kw))

    for n, (name, district) in enumerate(LIBRARIES):
        add(InstitutionRegistered(lib[n], name, "library", district, False), f"2016-12-0{1 + n} 09:00")
    for year, number in EDITIONS.items():
        add(EditionOpened(editions[year], "libraries", f"Rozwój wolontariatu w bibliotekach – edycja {number}", year, None,
                          "enrolment", False, (), None, datetime.date(year, 2, 1), datetime.date(year, 12, 31)),
            f"{year}-02-01 08:00")

    # 2017 (I)
    e = editions[2017]
    for n in (0, 1, 2):
        add(InstitutionEnrolled(e, lib[n]), f"2017-02-1{n} 10:00")
    add(TrainingHeld(new_id(), e, "training", "Wolontariat w bibliotece: podstawy", datetime.date(2017, 3, 10), Decimal("6"),
                     (lib[0], lib[1])), "2017-03-10 16:00")
    add(TrainingHeld(new_id(), e, "study_visit", "Wizyta w bibliotece w Krakowie", datetime.date(2017, 4, 5), Decimal("4.5"),
                     (lib[0],)), "2017-04-05 18:00")
    add(MonitoringVisitMade(new_id(), e, lib[0], datetime.date(2017, 5, 8), "diagnosis"), "2017-05-08 12:00")
    add(MonitoringVisitMade(new_id(), e, lib[1], datetime.date(2017, 5, 9), "diagnosis"), "2017-05-09 12:00")
    add(EnrolmentWithdrawn(e, lib[2], "Brak kadry do prowadzenia wolontariatu"), "2017-06-15 09:00", sequence=2)
    add(MonitoringVisitMade(new_id(), e, lib[0], datetime.date(2017, 6, 20), "planning"), "2017-06-20 12:00")
    add(VolunteeringProgrammeAdopted(e, lib[0], datetime.date(2017, 9, 1)), "2017-09-01 10:00", sequence=2)
    first = {name: new_id() for name in ("Ala", "Bartek", "Cyryl")}
    for name, library, day in (("Ala", lib[0], 2), ("Bartek", lib[1], 3), ("Cyryl", lib[0], 4)):
        add(VolunteerJoined(volunteers[name], first[name], library, e, None, datetime.date(2017, 10, day)), f"2017-10-0{day} 09:00")
    add(VolunteerLeft(volunteers["Cyryl"], first["Cyryl"], lib[0], e, datetime.date(2017, 12, 1)), "2017-12-01 09:00", sequence=2)
    add(VolunteerHoursApproved(new_id(), volunteers["Ala"], first["Ala"], lib[0], e, "2017-10", Decimal("12.5")), "2017-11-06 10:00",
        sequence=2)
    add(VolunteerHoursApproved(new_id(), volunteers["Bartek"], first["Bartek"], lib[1], e, "2017-11", Decimal("8")),
        "2017-12-04 10:00", sequence=2)

    # 2018 (II): the first library again, a new one; Ala again
    e = editions[2018]
    add(InstitutionEnrolled(e, lib[0]), "2018-02-10 10:00")
    add(InstitutionEnrolled(e, lib[3]), "2018-02-11 10:00")
    add(TrainingHeld(new_id(), e, "training", "Wolontariat w bibliotece: rekrutacja", datetime.date(2018, 3, 12), Decimal("6"),
                     (lib[0], lib[3])), "2018-03-12 16:00")
    add(MonitoringVisitMade(new_id(), e, lib[3], datetime.date(2018, 5, 7), "implementation"), "2018-05-07 12:00")
    add(VolunteeringProgrammeAdopted(e, lib[3], datetime.date(2018, 9, 3)), "2018-09-03 10:00", sequence=2)
    again = new_id()
    add(VolunteerJoined(volunteers["Ala"], again, lib[0], e, None, datetime.date(2018, 10, 1)), "2018-10-01 09:00", sequence=3)
    add(VolunteerHoursApproved(new_id(), volunteers["Ala"], again, lib[0], e, "2018-10", Decimal("10")), "2018-11-05 10:00",
        sequence=4)
    add(VolunteerJoined(volunteers["Dorota"], new_id(), lib[3], e, None, datetime.date(2018, 10, 2)), "2018-10-02 09:00")

    # 2019 (III)
    e = editions[2019]
    add(InstitutionEnrolled(e, lib[4]), "2019-02-10 10:00")
    add(VolunteerJoined(volunteers["Ewa"], new_id(), lib[4], e, None, datetime.date(2019, 10, 1)), "2019-10-01 09:00")

    add(InstitutionEnrolled(unopened, lib[1]), "2019-03-01 10:00")
    return Story(events, editions, lib, volunteers, unopened)


TRAINING_2017 = {"sessions": 2, "hours": "10.50", "institutions_trained": 2, "monitoring_visits": 3, "institutions_visited": 2,
                 "programmes_adopted": 1}
TRAINING_2018 = {"sessions": 1, "hours": "6.00", "institutions_trained": 2, "monitoring_visits": 1, "institutions_visited": 1,
                 "programmes_adopted": 1}
TRAINING_2017_2018 = {"sessions": 3, "hours": "16.50", "institutions_trained": 3, "monitoring_visits": 4,
                      "institutions_visited": 3, "programmes_adopted": 2}
"""Together: trainings, hours and visits add up; the libraries trained, visited and with a programme are counted once."""
