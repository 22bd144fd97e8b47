"""The outbox bell: a commit that adds outbox rows wakes the relay at once; nothing else does."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import insert, text

from infra import db
from infra.db import migrate
from infra.eventstore.tables import outbox
from infra.messaging.wakeup import OutboxBell


@pytest.fixture
def engine(databases):
    if not databases.postgres:
        pytest.skip("no PostgreSQL here")
    engine = db.make_engine(databases.create("bell"))
    migrate.upgrade(engine, None)
    yield engine
    engine.dispose()


def _waited(bell: OutboxBell, during=None) -> float:
    """Seconds one wait took; `during` runs in another thread 0.2 s into it."""
    stop = threading.Event()
    bell.listen()
    started = time.perf_counter()
    if during is not None:
        threading.Timer(0.2, during).start()
    bell.wait(stop)
    return time.perf_counter() - started


def _add_row(engine, event_id: str, *, commit: bool = True) -> None:
    with engine.connect() as connection:
        connection.execute(insert(outbox).values(event_id=event_id, topic="t", key="k", payload=b"{}"))
        if commit:
            connection.commit()
        else:
            connection.rollback()


def test_a_commit_that_adds_outbox_rows_rings_at_once(engine):
    bell = OutboxBell(engine, poll_s=30.0, idle_s=10.0)
    try:
        assert _waited(bell, lambda: _add_row(engine, "e-1")) < 3.0
    finally:
        bell.close()


def test_a_rolled_back_insert_does_not_ring(engine):
    bell = OutboxBell(engine, poll_s=30.0, idle_s=1.5)
    try:
        assert _waited(bell, lambda: _add_row(engine, "e-2", commit=False)) >= 1.4
    finally:
        bell.close()


def test_without_postgresql_the_bell_is_a_timer(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'bell.sqlite3'}")
    migrate.upgrade(engine, None)
    bell = OutboxBell(engine, poll_s=0.3, idle_s=10.0)
    try:
        assert 0.25 <= _waited(bell) < 3.0
    finally:
        bell.close()
        engine.dispose()


def test_a_lost_connection_falls_back_to_polling_and_listens_again(engine):
    bell = OutboxBell(engine, poll_s=0.1, idle_s=10.0)
    try:
        backend = bell.listen().info.backend_pid
        with engine.connect() as connection:  # as a database restart would
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        assert _waited(bell) < 3.0  # the lost connection: a short poll, not the 10 s wait
        assert _waited(bell, lambda: _add_row(engine, "e-3")) < 3.0  # listening again
    finally:
        bell.close()
