"""Putting a rebuilt read model in place of the live one in one transaction; the old one is read until it commits.

PostgreSQL: the rows go into a schema of their own (COPY, then keys and indexes), and the swap moves the live tables
out and the rebuilt ones in (ALTER TABLE … SET SCHEMA, transactional). SQLite: the rows are copied over in one
write transaction. Either way, in that same transaction, the event store is held still (commands wait), the events
stored since the fold are applied, and the consumer groups are set to the ends of the partitions the fold read to.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from kafka import TopicPartition
from kafka.errors import NoError
from kafka.structs import OffsetAndMetadata
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from infra.config import Settings
from infra.messaging import kafka
from infra.rebuild import facts, load, run
from infra.recovery import rewind

Progress = Callable[[int], None]


def schemas(service: str) -> tuple[str, str]:
    """The schemas a PostgreSQL swap builds in and moves the old tables to."""
    return f"rebuild_{service}", f"retired_{service}"


def stage(spec, settings: Settings, live: Engine, directory: Path, workers: int | None = None,
          progress: Progress = lambda n: None) -> run.Built:
    """The rebuilt model ready to swap in: on PostgreSQL in its own schema, keyed and indexed as the live tables; on
    SQLite in a scratch in `directory`."""
    workers = workers or run.readers()
    if live.dialect.name != "postgresql":
        return run.fold_into_scratch(spec, settings, live, directory, progress, workers=workers)
    building, _ = schemas(spec.name)
    tables = run.tables(spec)
    with live.begin() as connection:
        load.empty_copies(connection, "public", [t.name for t in tables], building)
        indexes = [s for t in tables for s in load.index_definitions(connection, "public", t.name, building)]
    if facts.possible(spec):
        return facts.build(spec, settings, live, building, indexes, workers, progress)
    built = run.fold_into_scratch(spec, settings, live, directory, progress, workers=workers)
    assert built.scratch is not None
    with live.begin() as connection:
        load.copy_rows(built.scratch, connection, tables, building)
        for statement in indexes:  # after the rows: one sort per index instead of an insert into it per row
            connection.exec_driver_sql(statement)
        for table in tables:
            connection.exec_driver_sql(f"ANALYZE {load.quoted(building)}.{load.quoted(table.name)}")
    return built


def swap(built: run.Built, spec, settings: Settings, live: Engine) -> tuple[int, list[Resumed]]:
    """Puts the rebuilt model in place (after `stage` on PostgreSQL); returns the events caught up and the groups moved.

    Raises rewind.GroupActive, changing nothing, while the service's workers still consume.
    """
    with live.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            _swap_schemas(connection, spec)
        else:
            _copy_over(connection, built, spec)
        caught_up = run.catch_up(spec, Session(bind=connection), built.position)
        moved = resume_at(settings, built.ends)  # last: a group with members refuses, and the swap rolls back
    if live.dialect.name == "postgresql":
        with live.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {load.quoted(schemas(spec.name)[1])} CASCADE")
    return caught_up, moved


@dataclasses.dataclass(frozen=True)
class Resumed:
    """Where a group's consumers go on after the swap: the end of a partition as the rebuild read it."""

    group: str
    topic: str
    partition: int
    offset: int


def resume_at(settings: Settings, ends: dict[str, dict[TopicPartition, int]]) -> list[Resumed]:
    """Sets each group to the ends the rebuild read to; raises rewind.GroupActive where the broker refuses (members)."""
    if not ends:
        return []
    admin = kafka.admin(settings, f"{settings.service}-rebuild-admin")
    try:
        done = []
        for group, offsets in ends.items():
            answers = admin.alter_group_offsets(
                group, {tp: OffsetAndMetadata(offset, "ochotnicy rebuild", -1) for tp, offset in offsets.items()})
            refused = {f"{tp.topic}:{tp.partition}": error.__name__ for tp, error in answers.items() if error is not NoError}
            if refused:
                raise rewind.GroupActive(f"{group}: the broker refused its new offsets (stop the workers first): {refused}")
            done += [Resumed(group, tp.topic, tp.partition, offset) for tp, offset in sorted(offsets.items())]
        return done
    finally:
        admin.close()


def _swap_schemas(connection: Connection, spec) -> None:
    building, retired = schemas(spec.name)
    if spec.own is not None:
        connection.exec_driver_sql("LOCK TABLE events IN SHARE MODE")  # commands in flight finish, new ones wait
    names = [consumer.name for consumer in spec.consumed]
    if spec.consumed:
        # Other groups' claims (older group names) stay as they were.
        connection.exec_driver_sql(
            f"INSERT INTO {load.quoted(building)}.processed_events SELECT * FROM public.processed_events "
            "WHERE NOT (consumer = ANY(%s))", (names,))
    connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {load.quoted(retired)} CASCADE")
    connection.exec_driver_sql(f"CREATE SCHEMA {load.quoted(retired)}")
    for table in run.tables(spec):
        name = load.quoted(table.name)
        connection.exec_driver_sql(f"ALTER TABLE public.{name} SET SCHEMA {load.quoted(retired)}")
        connection.exec_driver_sql(f"ALTER TABLE {load.quoted(building)}.{name} SET SCHEMA public")
    connection.exec_driver_sql(f"DROP SCHEMA {load.quoted(building)}")


def _copy_over(connection: Connection, built: run.Built, spec) -> None:
    """SQLite: the live tables emptied and filled from the scratch, in the caller's (write-locking) transaction."""
    assert built.scratch is not None
    names = [consumer.name for consumer in spec.consumed]
    for table in reversed(run.tables(spec)):
        if table.name == "processed_events":
            connection.execute(table.delete().where(table.c.consumer.in_(names)))
        else:
            connection.execute(table.delete())
    load.copy_rows(built.scratch, connection, run.tables(spec))
