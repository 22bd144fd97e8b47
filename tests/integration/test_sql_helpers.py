"""infra.sql's bulk statements behave alike on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import select

from infra import db, migrate
from infra.eventstore.tables import processed_events
from infra.sql import insert_new

NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def row(event_id: str, offset: int) -> dict:
    return {"consumer": "c", "event_id": event_id, "topic": "t", "partition": 0, "offset": offset, "processed_at": NOW}


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, databases, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'helpers.sqlite3'}"
    elif not databases.postgres:
        pytest.skip("no PostgreSQL here")
    else:
        url = databases.create("sql_helpers")
    engine = db.make_engine(url)
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
