"""Tamper evidence: the log is chained by hash, and a hand edit is caught at its first broken link."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, select, update

from infra import db
from infra.db import migrate
from infra.eventstore import chain
from infra.eventstore.sql import SqlEventStore
from infra.eventstore.tables import chain_gaps, events
from tests.support.eventstore_suite import new_event


@pytest.fixture
def engine(either_database):
    engine = db.make_engine(either_database)
    migrate.upgrade(engine, None)
    yield engine
    engine.dispose()


def append(engine, n: int) -> list[str]:
    ids = []
    with db.session_factory(engine)() as session:
        store = SqlEventStore(session, "applications")
        for _ in range(n):
            aggregate = str(uuid.uuid4())
            stored = store.append([new_event(aggregate, 1), new_event(aggregate, 2)])
            ids += [e.event_id for e in stored]
        session.commit()
    return ids


def seal_all(engine) -> None:
    with engine.begin() as connection:
        while chain.seal(connection, limit=7):
            pass


def test_a_sealed_log_verifies_and_new_events_wait_to_be_sealed(engine):
    append(engine, 10)
    seal_all(engine)
    append(engine, 2)
    with engine.connect() as connection:
        report = chain.verify(connection, batch=6)
    assert report.ok and report.sealed == 20 and report.unsealed == 4


def test_editing_a_record_by_hand_is_caught_and_named(engine):
    ids = append(engine, 5)
    seal_all(engine)
    with engine.begin() as connection:
        connection.execute(
            update(events).where(events.c.event_id == ids[6]).values(data='{"reason": "podmienione"}')
        )
    with engine.connect() as connection:
        report = chain.verify(connection)
    assert not report.ok
    assert report.event_id == ids[6] and report.broken_at == 7
    assert "zapis zmieniono" in report.reason


def test_removing_a_record_by_hand_is_caught(engine):
    ids = append(engine, 5)
    seal_all(engine)
    with engine.begin() as connection:
        connection.execute(delete(events).where(events.c.event_id == ids[3]))
    with engine.connect() as connection:
        report = chain.verify(connection)
    assert not report.ok and report.broken_at == 5 and "zapis usunięto" in report.reason


def test_rewriting_a_hash_to_match_an_edit_breaks_the_next_link(engine):
    ids = append(engine, 3)
    seal_all(engine)
    with engine.begin() as connection:
        connection.execute(update(events).where(events.c.event_id == ids[1]).values(meta='{"actor": "ktoś inny"}'))
        row = connection.execute(events.select().where(events.c.event_id == ids[1])).one()
        connection.execute(
            update(events).where(events.c.event_id == ids[1]).values(hash=chain.record_hash(row, row.prev_hash))
        )
    with engine.connect() as connection:
        report = chain.verify(connection)
    assert not report.ok and report.event_id == ids[2] and "nie wskazuje na zapis przed nim" in report.reason


def positions(engine, ids: list[str]) -> list[int]:
    with engine.connect() as connection:
        found = dict(connection.execute(select(events.c.event_id, events.c.position)).all())
    return [found[event_id] for event_id in ids]


def test_events_placed_at_the_sequences_their_topic_saw_leave_recorded_gaps_that_verify_accepts(engine):
    ids = append(engine, 2)  # four events: two sealed, two placed where a topic saw them after sequences it never held
    first, second = positions(engine, ids[2:])
    with engine.begin() as connection:
        chain.seal(connection, limit=2)
        gaps = chain.place(connection, {first: 5, second: 9}, "lost at a restore")
    assert gaps == [(3, 4), (6, 8)]
    append(engine, 1)
    seal_all(engine)  # after the placed ones: the gaps are never filled
    with engine.connect() as connection:
        report = chain.verify(connection, batch=3)
        assert report.ok and report.sealed == 6 and report.lost == 5
        assert [r.chain_seq for r in connection.execute(select(events.c.chain_seq).order_by(events.c.chain_seq))] == \
            [1, 2, 5, 9, 10, 11]


def test_a_gap_no_recovery_recorded_is_still_a_removed_record(engine):
    ids = append(engine, 2)
    [third] = positions(engine, ids[2:3])
    with engine.begin() as connection:
        chain.seal(connection, limit=2)
        chain.place(connection, {third: 4}, "lost at a restore")
        connection.execute(delete(chain_gaps))
    with engine.connect() as connection:
        report = chain.verify(connection)
    assert not report.ok and report.broken_at == 4 and "zapis usunięto" in report.reason


def test_nothing_is_placed_at_or_before_the_head(engine):
    ids = append(engine, 2)
    [fourth] = positions(engine, ids[3:])
    with engine.begin() as connection:
        chain.seal(connection, limit=3)
        with pytest.raises(ValueError, match="not beyond the head 3"):
            chain.place(connection, {fourth: 3}, "a mistake")
