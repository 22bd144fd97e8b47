"""A programme's totals read now are remembered in the web process, never past a change: every fact the total reads,
applied as the consumer applies it, shows in the next answer; with no change the next answer runs none of its statements."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import event, select

from contracts.applications import (
    EditionOpened,
    InstitutionDetailsChanged,
    InstitutionEnrolled,
    InstitutionRegistered,
    MonitoringVisitMade,
    TrainingHeld,
    VolunteeringProgrammeAdopted,
)
from contracts.volunteers import VolunteerJoined, VolunteerLeft
from infra import db
from infra.db import migrate
from services.reporting.readmodel import current_summaries, remembered
from services.reporting.readmodel.projection import projector
from services.reporting.spec import MIGRATIONS
from tests.integration.reporting.scenario import at, edition_opened, new_id, proposed, wrap


@pytest.fixture
def statements(service):
    """The SQL statements the service's engine runs, as they run."""
    ran: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        ran.append(statement)

    event.listen(service.runtime.engine, "before_cursor_execute", record)
    yield ran
    event.remove(service.runtime.engine, "before_cursor_execute", record)


def now_and_read(client, programme: str, **years) -> tuple[dict, dict]:
    """(the total now, remembered or not; the same total read from the facts as of a moment after every event)."""
    path = f"/api/v1/programmes/{programme}/summary"
    now, read = (client.get(path, query_string=years | extra).get_json() for extra in ({}, {"as_of": "2100-01-01"}))
    return ({k: v for k, v in now.items() if k != "as_of"}, {k: v for k, v in read.items() if k != "as_of"})


def libraries(year: int, edition_id: str) -> EditionOpened:
    return EditionOpened(edition_id, "libraries", f"Biblioteki {year}", year, None, "enrolment", False, (), None,
                         datetime.date(year, 2, 1), datetime.date(year, 12, 31))


def test_every_fact_the_total_reads_shows_in_the_next_answer(client, feed):
    library, branch, volunteer, membership = new_id(), new_id(), new_id(), new_id()
    first, second = new_id(), new_id()
    steps = [
        ("edition opened", [libraries(2017, first)], "editions"),
        ("registered and enrolled", [InstitutionRegistered(library, "Filia 1", "library", "Wola", False),
                                     InstitutionEnrolled(first, library)], "institutions"),
        ("a volunteer joined", [VolunteerJoined(volunteer, membership, library, first, None, datetime.date(2017, 10, 2))],
         "volunteers"),
        ("a training", [TrainingHeld(new_id(), first, "training", "Podstawy", datetime.date(2017, 3, 10), Decimal("6"),
                                     (library,))], "training"),
        ("a visit", [MonitoringVisitMade(new_id(), first, library, datetime.date(2017, 5, 8), "diagnosis")], "training"),
        ("a programme", [VolunteeringProgrammeAdopted(first, library, datetime.date(2017, 9, 1))], "training"),
        ("the register corrected", [InstitutionDetailsChanged(library, "Filia 1", "library", "Mokotów", False)],
         "institutions"),
        ("a new edition", [libraries(2018, second)], "editions"),
        ("enrolled in it", [InstitutionRegistered(branch, "Filia 2", "library", "Wola", False),
                            InstitutionEnrolled(second, branch)], "institutions"),
        ("the volunteer left", [VolunteerLeft(volunteer, membership, library, first, datetime.date(2017, 12, 1))], "volunteers"),
    ]
    before, _ = now_and_read(client, "libraries")
    for n, (what, events, group) in enumerate(steps):
        feed.batch([wrap(e, time=at("2019-01-01 10:00") + datetime.timedelta(minutes=n), sequence=n + 1) for e in events])
        now, read = now_and_read(client, "libraries")
        assert now == read, what
        assert now[group] != before[group], what
        assert now == now_and_read(client, "libraries")[0], what  # remembered now: the same answer again
        before = now
    assert before["institutions"]["by_district"] == {"Mokotów": 1, "Wola": 1}
    assert (before["volunteers"]["joined"], before["volunteers"]["active"]) == (1, 0)


def test_a_new_editions_partnership_shows_in_the_next_answer(client, feed):
    opened = new_id()
    years = {"from_year": 2021, "to_year": 2021}
    before, _ = now_and_read(client, "partnerships", **years)
    feed.batch([wrap(edition_opened(opened), time=at("2021-09-01 08:00"))])
    now, read = now_and_read(client, "partnerships", **years)
    assert now == read and [e["edition_id"] for e in now["editions"]] == [e["edition_id"] for e in before["editions"]] + [opened]
    feed.batch([wrap(proposed(opened, [new_id(), new_id()]), time=at("2021-09-10 10:00"))])
    after, read = now_and_read(client, "partnerships", **years)
    assert after == read
    assert after["partnerships"]["proposed"] == now["partnerships"]["proposed"] + 1
    assert after["institutions"]["count"] == now["institutions"]["count"] + 2


def test_with_no_change_the_next_answer_runs_only_the_read_of_the_versions(client, feed, statements):
    feed.batch([wrap(libraries(2020, new_id()), time=at("2020-02-01 08:00"))])
    path = "/api/v1/programmes/libraries/summary?from_year=2020"
    statements.clear()
    first = client.get(path).get_json()
    read = list(statements)
    statements.clear()
    second = client.get(path).get_json()
    assert len(read) > 2  # the versions, the editions, the kept summaries, the roster, the memberships
    assert len(statements) == 1 and "version" in statements[0] and "roster" not in statements[0]
    assert {k: v for k, v in second.items() if k != "as_of"} == {k: v for k, v in first.items() if k != "as_of"}
    assert second["as_of"] >= first["as_of"]  # the moment of the answer, as ever: not remembered


def test_a_total_as_of_a_moment_is_always_read(client, feed, statements):
    feed.batch([wrap(libraries(2020, new_id()), time=at("2020-02-01 08:00"))])
    path = "/api/v1/programmes/libraries/summary?as_of=2100-01-01"
    client.get(path)
    statements.clear()
    client.get(path)
    assert len(statements) > 2


def test_the_least_recently_asked_total_is_forgotten_first(service, statements):
    totals = remembered.Remembered(size=2)

    def ask(first: int) -> int:
        statements.clear()
        with service.read() as session:
            totals.summary(session, "libraries", first, None)
        return len(statements)

    assert [ask(2017) > 1, ask(2018) > 1, ask(2017), ask(2019) > 1] == [True, True, 1, True]  # 2018 forgotten, 2017 kept
    assert (ask(2017), ask(2018) > 1) == (1, True)


def test_the_migration_gives_every_kept_summary_a_version_of_its_own(either_database):
    engine = db.make_engine(either_database)
    migrate.upgrade(engine, MIGRATIONS)
    config = migrate._config(MIGRATIONS)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "reporting_0006")
    sessions = db.session_factory(engine)
    with sessions() as session:  # kept under reporting_0006: no versions
        session.execute(current_summaries.insert(), [{"edition_id": new_id(), "summary": "{}"} for _ in range(3)])
        session.commit()
    migrate.upgrade(engine, MIGRATIONS)
    with sessions() as session:
        versions = session.execute(select(current_summaries.c.version)).scalars().all()
        assert len(versions) == len(set(versions)) == 3 and None not in versions
        projector.apply_batch(session, [wrap(libraries(2017, new_id()), time=at("2017-02-01 08:00"))])
        session.commit()
        with_kept = session.execute(select(current_summaries.c.version)).scalars().all()
        assert len(set(with_kept)) == 4 and None not in with_kept
    engine.dispose()
