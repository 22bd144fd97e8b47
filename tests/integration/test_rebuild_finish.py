"""The staged rebuild's last step: rows whose keys turn out unique are copied as they are, and a key found twice is
merged as the projector merges it, whichever way each table goes."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import inspect, select

from infra import db
from infra.db import migrate
from infra.eventstore.tables import processed_events
from infra.rebuild import load, run, staging
from services.reporting.readmodel import partnership_institutions, roster
from services.reporting.spec import SPEC

pytestmark = pytest.mark.integration
AT = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.timezone.utc)


def _staged(engine) -> list[str]:
    """A reporting database with its keys stripped and two processes' staging filled by hand; the keys' statements."""
    migrate.upgrade(engine, SPEC.migrations)
    tables = list(SPEC.tables.sorted_tables)
    with engine.begin() as connection:
        indexes = load.stripped(connection, "public", [t.name for t in run.tables(SPEC)])
        staging.create_staging(connection, "public", tables, 2)
        rows = {  # (worker, table): rows
            (0, partnership_institutions): [{"partnership_id": "p1", "institution_id": "i1", "edition_id": "e1", "lead": True,
                                             "proposed_event": "ev1", "proposed_subject": "p1", "proposed_at": AT}],
            (1, partnership_institutions): [{"partnership_id": "p2", "institution_id": "i1", "edition_id": "e1", "lead": False,
                                             "proposed_event": "ev2", "proposed_subject": "p2", "proposed_at": AT}],
            # One key in both processes: the roster keeps the earliest time stated.
            (0, roster): [{"edition_id": "e1", "role": "named", "institution_id": "i1", "first_at": AT}],
            (1, roster): [{"edition_id": "e1", "role": "named", "institution_id": "i1", "first_at": AT - datetime.timedelta(days=1)}],
            # The same event in two chunks (sent again): claimed once, at its first offset.
            (0, processed_events): [{"event_id": "ev1", "topic": "t", "partition": 0, "offset": 7},
                                    {"event_id": "ev1", "topic": "t", "partition": 0, "offset": 3}],
            (1, processed_events): [{"event_id": "ev2", "topic": "t", "partition": 1, "offset": 0}],
        }
        for (n, table), found in rows.items():
            connection.exec_driver_sql(
                f"INSERT INTO staging_{n}_{table.name} ({', '.join(load.quoted(c) for c in found[0])}) "
                f"VALUES ({', '.join(['%s'] * len(found[0]))})", [tuple(row.values()) for row in found])
    return indexes


def _model(engine) -> dict[str, set[tuple]]:
    with engine.connect() as connection:
        return {t.name: set(connection.execute(select(t)).all()) for t in [partnership_institutions, roster, processed_events]}


def _finish(url: str, unmerged: set[str]) -> dict[str, set[tuple]]:
    engine = db.make_engine(url)
    indexes = _staged(engine)
    counts = staging.finish_tables(engine, "public", list(SPEC.tables.sorted_tables), SPEC.consumed[0].projector.earliest, 2,
                                   indexes, unmerged, staging.Claims("reporting", AT))
    assert (counts["partnership_institutions"], counts["roster"], counts["processed_events"]) == (2, 1, 2)
    with engine.connect() as connection:
        keys = inspect(connection).get_pk_constraint("processed_events")["constrained_columns"]
        left = connection.exec_driver_sql("SELECT count(*) FROM pg_tables WHERE starts_with(tablename, 'staging_')").scalar_one()
    assert keys == ["consumer", "event_id"] and left == 0
    found = _model(engine)
    engine.dispose()
    return found


def test_unique_rows_are_copied_and_a_key_found_twice_is_merged_as_if_every_table_were_merged(databases):
    every = {t.name for t in run.tables(SPEC)}
    tried = _finish(databases.create("finish_tried"), every)  # each table first copied as it is, its keys then refusing two
    merged = _finish(databases.create("finish_merged"), set())

    assert tried == merged
    assert {row.first_at for row in merged["roster"]} == {AT - datetime.timedelta(days=1)}
    assert {(row.consumer, row.event_id, row.offset, row.processed_at) for row in merged["processed_events"]} == {
        ("reporting", "ev1", 3, AT), ("reporting", "ev2", 0, AT)}
    assert len(merged["partnership_institutions"]) == 2
