"""The SQL event store passes the shared suite on SQLite and PostgreSQL, and keeps the outbox with it."""

from __future__ import annotations

import threading
import uuid

import orjson
import pytest
from sqlalchemy import select

from contracts import PUBLIC, envelope
from infra import db
from infra.db import migrate
from infra.eventstore.records import ConcurrencyError
from infra.eventstore.sql import SqlEventStore
from infra.eventstore.tables import outbox
from tests.support.eventstore_suite import EventStoreContract, new_event


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, databases, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store')}/store.sqlite3"
    elif databases.postgres:
        url = databases.create("store")
    else:
        pytest.skip("PostgreSQL is not running")
    engine = db.make_engine(url)
    migrate.upgrade(engine, None)
    yield engine
    engine.dispose()


class TestSqlEventStore(EventStoreContract):
    @pytest.fixture
    def store(self, engine):
        session = db.session_factory(engine)()
        yield SqlEventStore(session, "applications")
        session.rollback()
        session.close()

    def commit(self, store) -> None:
        store._session.commit()

    def test_public_events_enter_the_outbox_as_cloudevents_in_the_same_transaction(self, store):
        a = str(uuid.uuid4())
        private = new_event(a, 2, topic=None)
        store.append([new_event(a, 1), private])
        rows = store._session.execute(select(outbox).where(outbox.c.key == a)).all()
        assert len(rows) == 1
        document = orjson.loads(rows[0].payload)
        assert document["subject"] == a and document["sequence"] == 1
        assert envelope.read(rows[0].payload, PUBLIC).data.reason == "v1 – zażółć"
        store._session.rollback()
        assert store._session.execute(select(outbox).where(outbox.c.key == a)).all() == []
        assert store.load(a) == []


def test_concurrent_appends_at_the_same_version_exactly_one_wins(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race is PostgreSQL's")
    sessions = db.session_factory(engine)
    aggregate = str(uuid.uuid4())
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def attempt() -> None:
        with sessions() as session:
            store = SqlEventStore(session, "applications")
            barrier.wait()
            try:
                store.append([new_event(aggregate, 1)])
                session.commit()
                outcomes.append("won")
            except ConcurrencyError:
                session.rollback()
                outcomes.append("conflict")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["won"]
    with sessions() as session:
        assert [e.version for e in SqlEventStore(session, "applications").load(aggregate)] == [1]
