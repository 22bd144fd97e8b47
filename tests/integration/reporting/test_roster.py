"""The roster a programme's totals read (issue 27): each institution of each edition once per role since its earliest
event, in any order of arrival, filled by the migration as the projection fills it; and the totals read from it equal
the facts counted across the same editions, now and as of any moment, on a random log."""

from __future__ import annotations

import dataclasses
import datetime
import random
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import select

from contracts import vocabulary
from contracts.applications import (
    EditionOpened,
    InstitutionDetailsChanged,
    InstitutionEnrolled,
    InstitutionRegistered,
    MonitoringVisitMade,
    PartnershipProposed,
    TrainingHeld,
    VolunteeringProgrammeAdopted,
)
from contracts.volunteers import VolunteerJoined, VolunteerLeft
from infra import db
from infra.db import migrate
from services.reporting.readmodel import counting, programmes, roster
from services.reporting.readmodel.projection import projector
from services.reporting.spec import MIGRATIONS, SPEC
from tests.integration.reporting import library_story
from tests.integration.reporting.conftest import Feeder
from tests.integration.reporting.scenario import at, edition_opened, new_id, populated, proposed, wrap
from tests.support.stack import settings

START = at("2020-01-01 00:00")


def _roster(session) -> set[tuple]:
    return {(r.edition_id, r.role, r.institution_id, r.first_at) for r in session.execute(select(roster))}


def test_each_institution_once_per_edition_and_role_since_its_earliest_event_whatever_the_order(feed, edition):
    library, school = new_id(), new_id()
    later = wrap(proposed(edition, [library, school]), time=at("2021-10-20 10:00"))
    earlier = wrap(proposed(edition, [school, library]), time=at("2021-10-05 10:00"))
    feed.batch([later])
    feed.batch([earlier, wrap(proposed(edition, [library, school]), time=at("2021-10-30 10:00"))])
    feed.batch([earlier, later])  # delivered again: nothing changes
    with feed.service.read() as session:
        rows = {r for r in _roster(session) if r[0] == edition}
    assert rows == {(edition, "named", library, at("2021-10-05 10:00")), (edition, "named", school, at("2021-10-05 10:00"))}


def test_the_migration_fills_the_roster_from_the_facts_as_the_projection_does(either_database):
    engine = db.make_engine(either_database)
    migrate.upgrade(engine, MIGRATIONS)
    sessions = db.session_factory(engine)
    with sessions() as session:
        for story in (populated().events, library_story.story().events, _random_log(random.Random(1)).events):
            projector.apply_batch(session, story)
        session.commit()
        projected = _roster(session)
    assert {role for _, role, _, _ in projected} == {"named", "trained", "visited", "adopted"}
    config = migrate._config(MIGRATIONS)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "reporting_0005")
    migrate.upgrade(engine, MIGRATIONS)
    with sessions() as session:
        assert _roster(session) == projected
    engine.dispose()


class RandomLog:
    """A random programme: its events, its editions' years and the moments worth asking about."""

    def __init__(self) -> None:
        self.events: list = []
        self.moments: list[datetime.datetime] = []

    def add(self, event, time: datetime.datetime) -> None:
        self.events.append(wrap(event, time=time))
        self.moments.append(time)


def _random_log(rng: random.Random, editions: int = 6, institutions: int = 12) -> RandomLog:
    """Editions of the library programme over 2020–2022 (two in some years), the same institutions and volunteers
    turning up in several, named by partnerships and enrolments, trained, visited, adopting; corrections of the register."""
    log = RandomLog()
    places = [new_id() for _ in range(institutions)]
    people = [new_id() for _ in range(institutions * 2)]
    for n, place in enumerate(places[:-2]):  # the last two never registered: their kind and district are unknown
        log.add(InstitutionRegistered(place, f"Biblioteka {n}", "library", rng.choice(vocabulary.DISTRICTS), False), START)
    for n in range(editions):
        edition, year = new_id(), 2020 + n // 2
        opened = START + datetime.timedelta(days=120 * n)
        log.add(EditionOpened(edition, "libraries", f"Edycja {n}", year, None, "enrolment", False, (), None,
                              datetime.date(year, 1, 1), datetime.date(year, 12, 31)), opened)
        for step in range(rng.randint(5, 25)):
            when = opened + datetime.timedelta(days=rng.randint(1, 400), minutes=step)
            place, chosen = rng.choice(places), rng.sample(places, rng.randint(1, 3))
            match rng.randrange(8):
                case 0:
                    log.add(InstitutionEnrolled(edition, place), when)
                case 1:
                    log.add(PartnershipProposed(new_id(), edition, "Razem", chosen[0], tuple(chosen), Decimal("100")), when)
                case 2:
                    log.add(TrainingHeld(new_id(), edition, "training", "Szkolenie", when.date(), Decimal("2.5"), tuple(chosen)), when)
                case 3:
                    log.add(MonitoringVisitMade(new_id(), edition, place, when.date(), "diagnosis"), when)
                case 4:
                    log.add(VolunteeringProgrammeAdopted(edition, place, when.date()), when)
                case 5:
                    log.add(InstitutionDetailsChanged(place, "Biblioteka", rng.choice(vocabulary.INSTITUTION_KINDS),
                                                      rng.choice(vocabulary.DISTRICTS), False), when)
                case _:
                    volunteer, membership = rng.choice(people), new_id()
                    log.add(VolunteerJoined(volunteer, membership, place, edition, None, when.date()), when)
                    if rng.random() < 0.4:
                        left = when + datetime.timedelta(days=rng.randint(1, 90))
                        log.add(VolunteerLeft(volunteer, membership, place, edition, left.date()), left)
    return log


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_totals_read_from_the_roster_equal_the_facts_counted_across_the_editions(databases, seed):
    rng = random.Random(seed)
    log = _random_log(rng)
    service = SPEC.bootstrap(settings("reporting", databases.create(f"rep_roster_{seed}"), "127.0.0.1:1"), configure_logging=False)
    events = list(log.events)
    rng.shuffle(events)  # a later event before an earlier one of the same institution and edition
    for start in range(0, len(events), 7):
        Feeder(service).batch(events[start:start + 7])
    moments = [None, *sorted(rng.sample(log.moments, 8))]
    compared = 0
    with service.read() as session:
        for first, last in ((2020, 2022), (2020, 2021), (2021, 2022), (2022, 2022), (None, None)):
            for moment in moments:
                found = programmes.span(session, "libraries", first, last, moment)
                read = programmes.summary(session, found, moment)
                counted = counting.figures(session, found.ids, moment, across=True)[counting.ALL] if found.ids else counting.nothing()
                assert {group: read[group] for group in counted} == counted, (first, last, moment)
                compared += bool(read["institutions"]["count"] and read["volunteers"]["joined"])
    assert compared > 10  # most questions have institutions and volunteers to count, not zeros on both sides


def test_an_institution_in_two_editions_counts_once_and_as_of_between_them_only_the_first(feed):
    spring, autumn, library = new_id(), new_id(), new_id()
    feed.batch([wrap(InstitutionRegistered(library, "Biblioteka", "library", "Ursus", False), time=at("2024-01-02 08:00")),
                *(wrap(dataclasses.replace(edition_opened(e, kind="enrolment", programme="care_homes", round=None), year=year),
                       time=at(f"{year}-01-05 08:00")) for e, year in ((spring, 2024), (autumn, 2025)))])
    feed.batch([wrap(TrainingHeld(new_id(), autumn, "training", "Drugie", datetime.date(2025, 3, 1), Decimal(3), (library,)),
                     time=at("2025-03-01 12:00")),  # the later edition's training arrives first
                wrap(InstitutionEnrolled(autumn, library), time=at("2025-02-01 10:00")),
                wrap(InstitutionEnrolled(spring, library), time=at("2024-02-01 10:00")),
                wrap(TrainingHeld(new_id(), spring, "training", "Pierwsze", datetime.date(2024, 3, 1), Decimal(2), (library,)),
                     time=at("2024-03-01 12:00"))])

    def totals(as_of):
        with feed.service.read() as session:
            return programmes.summary(session, programmes.span(session, "care_homes", 2024, 2025, as_of), as_of)

    both, between, before = totals(None), totals(at("2024-12-31 00:00")), totals(at("2024-02-01 09:59"))
    assert (both["institutions"]["count"], both["training"]["institutions_trained"], both["training"]["sessions"]) == (1, 1, 2)
    assert both["institutions"]["by_district"] == {"Ursus": 1}
    assert [e["edition_id"] for e in between["editions"]] == [spring]
    assert (between["institutions"]["count"], between["training"]["institutions_trained"], between["training"]["hours"]) == (1, 1, "2.00")
    assert (before["institutions"]["count"], before["training"]["institutions_trained"]) == (0, 0)
