"""infra.db.statements's bulk statements, and infra.db's advisory locks, behave alike on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from infra import db
from infra.db import migrate
from infra.db.statements import UtcDateTime, insert_new, lock_rows, merge, upsert
from infra.eventstore.tables import processed_events

NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def row(event_id: str, offset: int) -> dict:
    return {"consumer": "c", "event_id": event_id, "topic": "t", "partition": 0, "offset": offset, "processed_at": NOW}


@pytest.fixture
def engine(either_database):
    engine = db.make_engine(either_database)
    migrate.upgrade(engine, None)
    yield engine
    engine.dispose()


def test_insert_new_claims_only_the_rows_not_there_yet(engine):
    sessions = db.session_factory(engine)
    with sessions() as session:
        assert insert_new(session, processed_events, [row("a", 1), row("b", 2)], ["consumer", "event_id"], "event_id") == {"a", "b"}
        session.commit()
    with sessions() as session:
        claimed = insert_new(session, processed_events, [row("b", 3), row("c", 4), row("offset", 5)],
                             ["consumer", "event_id"], "event_id")
        session.commit()
        stored = dict(session.execute(select(processed_events.c.event_id, processed_events.c.offset)).all())
    assert claimed == {"c", "offset"}
    assert stored == {"a": 1, "b": 2, "c": 4, "offset": 5}  # b kept its first offset


def test_upsert_updates_the_named_columns_keeps_the_latest_time_and_honours_if_newer(engine):
    facts = Table("upsert_facts", MetaData(), Column("id", String(8), primary_key=True), Column("note", String(16)),
                  Column("seq", Integer), Column("updated_at", UtcDateTime))
    facts.create(engine)
    hour = datetime.timedelta(hours=1)
    sessions = db.session_factory(engine)
    with sessions() as session:
        upsert(session, facts, {"id": "x", "note": "first", "seq": 2, "updated_at": NOW}, ["id"])
        for note, seq, at in (("newer", 3, NOW + hour), ("newest", 4, NOW - hour), ("stale", 1, NOW + 2 * hour)):
            upsert(session, facts, {"id": "x", "note": note, "seq": seq, "updated_at": at}, ["id"], ["note", "seq"],
                   latest="updated_at", if_newer="seq")
        upsert(session, facts, {"id": "x", "note": "ignored", "seq": 9, "updated_at": NOW}, ["id"], [])
        session.commit()
        stored = session.execute(select(facts.c.note, facts.c.seq, facts.c.updated_at)).one()
    # "stale" came with a lower seq: not applied at all; "newest" was applied but kept the later time
    assert tuple(stored) == ("newest", 4, NOW + hour)


def test_lock_rows_creates_the_missing_rows_and_keeps_the_stored_ones(engine):
    notes = Table("locked_notes", MetaData(), Column("id", String(8), primary_key=True), Column("note", String(16)))
    notes.create(engine)
    sessions = db.session_factory(engine)
    with sessions() as session:
        upsert(session, notes, {"id": "a", "note": "stored"}, ["id"])
        lock_rows(session, notes, [{"id": "a", "note": "placeholder"}, {"id": "b", "note": "placeholder"}], ["id"])
        session.commit()
        stored = dict(session.execute(select(notes.c.id, notes.c.note)).all())
    assert stored == {"a": "stored", "b": "placeholder"}


def test_merge_fills_in_what_each_row_states_and_keeps_what_it_leaves_out(engine):
    facts = Table("merged_facts", MetaData(), Column("id", String(8), primary_key=True), Column("name", String(16)),
                  Column("seq", Integer), Column("note", String(16)))
    facts.create(engine)
    sessions = db.session_factory(engine)
    with sessions() as session:
        merge(session, facts, [{"id": "a", "seq": 1}, {"id": "b", "name": "Bea", "note": None}], ["id"])
        merge(session, facts, [{"id": "a", "name": "Ala", "seq": None}, {"id": "b", "note": "later", "seq": 2}], ["id"])
        session.commit()
        stored = {r.id: (r.name, r.seq, r.note) for r in session.execute(select(facts))}
    assert stored == {"a": ("Ala", 1, None), "b": ("Bea", 2, "later")}


def test_an_advisory_lock_excludes_a_second_holder_on_postgresql_and_is_held_at_once_on_sqlite(engine):
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as first, engine.connect() as second:
        assert db.advisory_lock(first, "test:lock", wait=False)
        assert db.advisory_lock(second, "test:lock", wait=False) is not postgres  # first holds it until its transaction ends
        assert db.advisory_lock(second, "test:other", wait=False)
        assert db.advisory_lock(second, "test:lock", shared=True, wait=False) is not postgres
        first.rollback()
        assert db.advisory_lock(second, "test:lock", wait=False)
