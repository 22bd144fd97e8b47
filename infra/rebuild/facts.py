"""A merging projector's model rebuilt straight into PostgreSQL: its fact rows COPYed unmerged, merged by key in SQL.

For a projector whose facts merge by key in any order (Projector.merges, with `fact_rows`), each process of the rebuild
reads its share of the partitions, turns each event into the projector's own fact rows and COPYs them, as they come,
into staging tables beside the model (unlogged, without keys). One statement per table then merges them: a key's row
takes, column by column, the value its events stated. Since such a projector gives the same rows in any order (its
tests shuffle whole logs), the values stated for one column of one key agree, so any of them is that value (max;
bool_or for booleans), and the earliest where the projector keeps the earliest. A duplicate states its event's values
again and changes nothing; the claims keep each event id once, at its first offset.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from kafka import TopicPartition
from sqlalchemy import Boolean, Connection, Engine, Table
from sqlalchemy.dialects import postgresql

from infra import db
from infra.config import Settings
from infra.eventstore.tables import processed_events
from infra.rebuild import fold, sources
from infra.rebuild.load import driver, quoted
from infra.rebuild.parallel import dealt, in_processes

if TYPE_CHECKING:
    from infra.audit.replay import Consumed
    from infra.spec import ServiceSpec

Progress = Callable[[int], None]
CHUNK = 20_000


def possible(spec: ServiceSpec) -> bool:
    """Whether `spec`'s model can be rebuilt so: one consumer whose projector's facts merge, no store of its own."""
    return spec.own is None and len(spec.consumed) == 1 and spec.consumed[0].projector.merges \
        and hasattr(spec.consumed[0].projector, "fact_rows")


def _staging(schema: str, table: Table, n: int) -> str:
    return f"{quoted(schema)}.{quoted(f'staging_{n}_{table.name}')}"


def create_staging(connection: Connection, schema: str, tables: Sequence[Table], workers: int) -> None:
    """Unlogged tables without keys or NOT NULL, one per model table and one for the claims, for each worker: two
    processes COPYing into one table wait on each other to extend it."""
    dialect = postgresql.dialect()
    for table in [*tables, processed_events]:
        columns = ", ".join(f"{quoted(c.name)} {c.type.compile(dialect=dialect)}" for c in table.columns)
        for n in range(workers):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {_staging(schema, table, n)}")
            connection.exec_driver_sql(f"CREATE UNLOGGED TABLE {_staging(schema, table, n)} ({columns})")


def merge_staging(target: Engine, schema: str, tables: Sequence[Table], earliest: dict[str, str], workers: int,
                  threads: int = 2) -> dict[str, int]:
    """Each staging table merged by key into its model table (which has no rows yet), then dropped; rows per table.

    The tables are merged side by side on `threads` connections, largest first: one statement runs on one core.
    """
    def one(table: Table) -> int:
        with target.begin() as connection:
            count = connection.exec_driver_sql(_merge_sql(schema, table, earliest.get(table.name), workers)).rowcount
            for n in range(workers):
                connection.exec_driver_sql(f"DROP TABLE {_staging(schema, table, n)}")
        return count

    every = [*tables, processed_events]
    with target.connect() as connection:
        sizes = {table.name: sum(connection.exec_driver_sql(
            "SELECT pg_relation_size(CAST(%s AS regclass))", (_staging(schema, table, n),)).scalar_one()
            for n in range(workers)) for table in every}
    ordered = sorted(every, key=lambda t: -sizes[t.name])
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return dict(zip([t.name for t in ordered], pool.map(one, ordered), strict=True))


def _merge_sql(schema: str, table: Table, earliest: str | None, workers: int) -> str:
    columns = ", ".join(quoted(c.name) for c in table.columns)
    staged = "(" + " UNION ALL ".join(f"SELECT * FROM {_staging(schema, table, n)}" for n in range(workers)) + ") AS staged"
    if table is processed_events:  # each event id once, at its first offset, as the live consumer claims it
        return (f"INSERT INTO {quoted(schema)}.processed_events ({columns}) SELECT DISTINCT ON (consumer, event_id) "
                f"{columns} FROM {staged} ORDER BY consumer, event_id, \"offset\"")
    keys = [c.name for c in table.primary_key.columns]
    values = [quoted(c.name) if c.name in keys else f"{_aggregate(c, earliest)}({quoted(c.name)})" for c in table.columns]
    return (f"INSERT INTO {quoted(schema)}.{quoted(table.name)} ({columns}) SELECT {', '.join(values)} FROM {staged} "
            f"GROUP BY {', '.join(quoted(k) for k in keys)}")


def _on(statement: str, schema: str, table: Table) -> bool:
    """Whether an index or key statement (load.index_definitions) is about `table` of `schema`."""
    return f"{quoted(schema)}.{quoted(table.name)} " in statement


def _side_by_side(target: Engine, work: Sequence[Sequence[str]], threads: int = 2) -> None:
    """Each list of statements in a transaction of its own, two lists at a time (one statement runs on one core)."""
    def run(statements: Sequence[str]) -> None:
        with target.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, work))


def _aggregate(column, earliest: str | None) -> str:
    if column.name == earliest:
        return "min"
    return "bool_or" if isinstance(column.type, Boolean) else "max"


def _work(spec: ServiceSpec, consumer: Consumed, settings: Settings, share: list[TopicPartition], url: str, schema: str,
          wanted: Collection[str] | None, n: int, done, results) -> None:
    """One process's share: read, turned into fact rows, COPYed; sends back (n, ends, read, parked, error)."""
    try:
        engine = db.make_engine(url, pool_size=1)
        tables = {t.name: t for t in spec.tables.sorted_tables}
        keys = {name: tuple(c.name for c in table.primary_key.columns) for name, table in tables.items()}
        read = parked = 0
        with engine.begin() as connection, sources.TopicReader(
                settings, consumer.topics, spec.registry, f"rebuild-{spec.name}-{n}", only=share) as reader:
            cursor = driver(connection).cursor()
            for chunk in fold.read_ahead(reader, CHUNK):
                events = [r.event for r in chunk if r.event is not None and (wanted is None or r.event.id in wanted)]
                parked += sum(1 for r in chunk if r.event is None)
                for name, found in _merged(consumer.projector, events, keys).items():
                    _copy(cursor, _staging(schema, tables[name], n), tables[name], found.values())
                now = datetime.datetime.now(datetime.timezone.utc)
                _copy(cursor, _staging(schema, processed_events, n), processed_events, [
                    (consumer.name, r.event.id, r.topic, r.partition, r.offset, now)
                    for r in chunk if r.event is not None and (wanted is None or r.event.id in wanted)], rows=True)
                read += len(chunk)
                with done.get_lock():
                    done.value += len(chunk)
            ends = dict(reader.ends)
        engine.dispose()
        results.put((n, ends, read, parked, None))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        results.put((n, {}, 0, 0, traceback.format_exc()))


def _merged(projector, events: list, keys: dict[str, tuple[str, ...]]) -> dict[str, dict[tuple, dict]]:
    """A chunk's fact rows, those of one key merged as the projector merges them (fewer rows to copy: every event
    names its edition, and a proposal's institutions come again on the roster)."""
    merged: dict[str, dict[tuple, dict]] = defaultdict(dict)
    earliest = projector.earliest
    for table, row in projector.fact_rows(events):  # each row a dict of its own, kept as it is
        name = table.name
        rows = merged[name]
        key = tuple(map(row.__getitem__, keys[name]))
        known = rows.get(key)
        if known is None:
            rows[key] = row
        elif name in earliest:
            column = earliest[name]
            known[column] = min(known[column], row[column])
        else:
            for column, value in row.items():
                if value is not None:
                    known[column] = value
    return merged


def _copy(cursor, staging: str, table: Table, found, *, rows: bool = False) -> None:
    """COPYs fact rows (dicts naming some columns; `rows`: tuples of every column in order) into `table`'s staging."""
    if not found:
        return
    columns = [c.name for c in table.columns]
    every = dict.fromkeys(columns)  # a fact row laid over it: every column, in order, NULL where it states nothing
    with cursor.copy(f"COPY {staging} ({', '.join(map(quoted, columns))}) FROM STDIN") as copy:
        for row in found:
            copy.write_row(row if rows else tuple({**every, **row}.values()))


def load(spec: ServiceSpec, settings: Settings, url: str, schema: str, workers: int, progress: Progress,
         wanted: Collection[str] | None = None) -> tuple[dict[TopicPartition, int], int, int]:
    """Reads `spec`'s consumer's topics in `workers` processes into staging tables of `schema`; returns the ends it read
    to, the messages read and those left parked (unreadable)."""
    consumer = spec.consumed[0]
    answers = in_processes(_work, [(spec, consumer, settings, share, url, schema, wanted)
                                   for share in dealt(spec, consumer, settings, workers)], progress)
    return {tp: end for a in answers for tp, end in a[1].items()}, sum(a[2] for a in answers), sum(a[3] for a in answers)


def build(spec: ServiceSpec, settings: Settings, target, schema: str, indexes: Sequence[str], workers: int,
          progress: Progress, wanted: Collection[str] | None = None):
    """The model in `schema` of `target` (its tables there empty, without keys): staged, merged, then `indexes` built and
    what the projector keeps derived (Projector.rebuilt) computed; returns the run.Built."""
    from sqlalchemy.orm import Session

    from infra.rebuild.run import Built

    started = mark = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal mark
        timings[name], mark = time.perf_counter() - mark, time.perf_counter()

    tables = list(spec.tables.sorted_tables)
    with target.begin() as connection:
        create_staging(connection, schema, tables, workers)
    ends, read, parked = load(spec, settings, target.url.render_as_string(hide_password=False), schema, workers, progress, wanted)
    lap("read")
    consumer = spec.consumed[0]
    counts = merge_staging(target, schema, tables, consumer.projector.earliest, workers)
    lap("merge")
    every = [*tables, processed_events]
    assert all(any(_on(i, schema, t) for t in every) for i in indexes), "an index of no table written"
    _side_by_side(target, [[*[i for i in indexes if _on(i, schema, table)], f"ANALYZE {quoted(schema)}.{quoted(table.name)}"]
                           for table in every])  # after the rows: one sort per index instead of an insert into it per row
    lap("indexes")
    with target.begin() as connection:
        connection.exec_driver_sql(f"SET LOCAL search_path TO {quoted(schema)}")
        with Session(bind=connection) as session:
            consumer.projector.rebuilt(session)
            session.flush()
    lap("summaries")
    applied = counts["processed_events"]
    built = Built(spec.name, None, applied=applied, read=read, parked=parked, duplicates=read - parked - applied,
                  ends={consumer.name: ends}, timings=timings)
    built.seconds = time.perf_counter() - started
    return built
