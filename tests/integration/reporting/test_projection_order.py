"""The reporting projection applied twice, in any order and any batching: the same facts, the same summary."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from infra.audit import replay
from services.reporting import moments
from services.reporting.readmodel import TABLES, current_summaries, queries
from tests.integration.reporting import grants_story, library_story
from tests.integration.reporting.scenario import Populated, figures, populated


def test_every_event_delivered_twice_changes_nothing(feed):
    story = populated()
    feed.batch(story.events)
    once = feed.summary(story.edition_id)
    feed.batch(story.events)  # the whole log again, as after a broker that lost its topics
    feed.one_by_one(story.events[::3])
    feed.batch([e for e in story.events for _ in range(2)])  # each event twice within one batch
    assert feed.summary(story.edition_id) == once
    assert figures(once) == Populated.expected


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_any_order_and_any_batching_gives_the_same_summary_at_every_moment(feed, seed):
    story = populated()
    shuffled = list(story.events)
    random.Random(seed).shuffle(shuffled)
    if seed == 4:
        shuffled.reverse()
    rng = random.Random(seed * 7)
    while shuffled:
        size = rng.randint(1, 6)
        batch, shuffled = shuffled[:size], shuffled[size:]
        feed.batch(batch + batch[: rng.randint(0, 1)])  # sometimes a duplicate in the same batch
    assert figures(feed.summary(story.edition_id)) == Populated.expected
    with feed.service.read() as session:  # the kept summaries (read now) agree with the facts, edition by edition
        rows = queries.edition_rows(session)
        assert session.execute(select(func.count()).select_from(current_summaries)).scalar() == len(rows)
        assert [figures(s) for s in queries.summaries(session, rows, None)] == [
            figures(s) for s in queries.compute(session, rows, None)]
    reference = populated()
    feed.batch(reference.events)
    for moment in ("2021-09-12", "2021-10-13", "2021-11-05T12:05:00Z", "2021-12-12", "2022-03-01"):
        as_of = moments.parse(moment)
        assert figures(feed.summary(story.edition_id, as_of)) == figures(feed.summary(reference.edition_id, as_of)), moment


def _rows(service) -> dict[str, list[tuple]]:
    """Every fact row of a database that holds one story."""
    with service.read() as session:
        result = {}
        for table in TABLES:
            result[table.name] = sorted(map(tuple, session.execute(select(table)).all()), key=repr)
    return result


def test_apply_of_single_events_and_apply_batch_write_the_same_rows(databases):
    from services.reporting.spec import SPEC
    from tests.integration.reporting.conftest import Feeder
    from tests.support.stack import settings

    story, grants = populated(), grants_story.story()  # the second: revocations, settlement steps, corrections
    libraries = library_story.story()  # trainings, visits, programmes, a withdrawal, approved hours
    one = SPEC.bootstrap(settings("reporting", databases.create("rep_one"), "127.0.0.1:1"), configure_logging=False)
    many = SPEC.bootstrap(settings("reporting", databases.create("rep_many"), "127.0.0.1:1"), configure_logging=False)
    Feeder(one).one_by_one(story.events + grants.events + libraries.events)
    Feeder(many).batch(story.events + grants.events + libraries.events)
    assert _rows(one) == _rows(many)
    assert all(_rows(one)[table] for table in ("settlement_steps", "institution_changes", "trainings", "training_attendance",
                                               "monitoring_visits", "approved_hours"))
    assert figures(Feeder(one).summary(story.edition_id)) == Populated.expected
    assert grants_story.figures(Feeder(many).summary(grants.edition_id)) == grants_story.figures(grants_story.SETTLED_FIGURES)


@pytest.mark.parametrize("seed", [5, 6])
def test_a_programmes_totals_are_the_same_whatever_order_its_events_arrive_in(databases, seed):
    from services.reporting.readmodel import programmes
    from services.reporting.spec import SPEC
    from tests.integration.reporting.conftest import Feeder
    from tests.support.stack import settings

    story = library_story.story()
    in_order, shuffled = (SPEC.bootstrap(settings("reporting", databases.create(name), "127.0.0.1:1"), configure_logging=False)
                          for name in ("rep_in_order", "rep_shuffled"))
    Feeder(in_order).batch(story.events)
    events = list(story.events)
    random.Random(seed).shuffle(events)
    for start in range(0, len(events), 4):  # a VolunteeringProgrammeAdopted before its InstitutionEnrolled, and so on
        Feeder(shuffled).batch(events[start:start + 4])

    def totals(service, moment):
        as_of = moments.parse(moment) if moment else None
        with service.read() as session:
            found = programmes.summary(session, programmes.span(session, "libraries", 2017, 2018, as_of), as_of)
        return {k: v for k, v in found.items() if k != "as_of"}

    for moment in (None, "2017-04-30", "2017-12-31", "2018-09-30"):
        assert totals(shuffled, moment) == totals(in_order, moment), moment
    assert figures(Feeder(shuffled).summary(story.editions[2017])) == figures(Feeder(in_order).summary(story.editions[2017]))
    # What an audit replay compares: every table of the read model, the new facts and the kept summaries too.
    differences = replay.compare(SPEC.tables, in_order.runtime.engine, shuffled.runtime.engine)
    assert not differences, [d.describe() for d in differences]
    assert {"trainings", "training_attendance", "monitoring_visits", "approved_hours"} <= set(SPEC.tables.tables)
