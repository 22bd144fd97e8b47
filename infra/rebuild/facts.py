"""A merging projector's model rebuilt straight into PostgreSQL: its fact rows COPYed unmerged, merged by key in SQL.

For a projector whose facts merge by key in any order (Projector.merges, with `fact_rows`), each process of the rebuild
reads its share of the partitions, turns each event into the projector's own fact rows and COPYs them, as they come,
into staging tables beside the model (unlogged, without keys; `infra.rebuild.staging`). One statement per table then
merges them: a key's row
takes, column by column, the value its events stated. Since such a projector gives the same rows in any order (its
tests shuffle whole logs), the values stated for one column of one key agree, so any of them is that value (max;
bool_or for booleans), and the earliest where the projector keeps the earliest. A duplicate states its event's values
again and changes nothing; the claims keep each event id once, at its first offset. A table where no chunk merged rows
is first copied as it is and its keys built: if they hold, no key came twice and the merge would change nothing.
"""

from __future__ import annotations

import datetime
import operator
import time
import traceback
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kafka import TopicPartition
from sqlalchemy import Connection, Table

from infra import db
from infra.config import Settings
from infra.eventstore.tables import processed_events
from infra.rebuild import fold, sources
from infra.rebuild.load import driver, quoted
from infra.rebuild.parallel import dealt, in_processes
from infra.rebuild.staging import Claims, create_staging, finish_tables, staging

if TYPE_CHECKING:
    from infra.audit.replay import Consumed
    from infra.spec import ServiceSpec

Progress = Callable[[int], None]
CHUNK = 20_000


def possible(spec: ServiceSpec) -> bool:
    """Whether `spec`'s model can be rebuilt so: one consumer whose projector's facts merge, no store of its own."""
    return spec.own is None and len(spec.consumed) == 1 and spec.consumed[0].projector.merges \
        and hasattr(spec.consumed[0].projector, "fact_rows")


class _Layout:
    """How a table's fact rows are merged and COPYed: its staging table's columns in order and their types on the server,
    and the table's key."""

    def __init__(self, table: Table, columns: list[str], oids: list[int], earliest: str | None) -> None:
        self.table = table
        self.columns = columns
        keys = [c.name for c in table.primary_key.columns]
        self.key = operator.itemgetter(*keys)  # one key column: its value; several: a tuple (a key within one table)
        self.oids = oids
        self.earliest = earliest


def _layouts(connection: Connection, schema: str, tables: Sequence[Table], earliest: dict[str, str], n: int) -> dict[str, _Layout]:
    """Each table's layout, its columns and their types read from worker `n`'s staging table (what binary COPY must send;
    the claims' staging table holds only staging.CLAIMED)."""
    found = {}
    for table in tables:
        attributes = connection.exec_driver_sql(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = CAST(%s AS regclass) AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum", (staging(schema, table, n),)).all()
        found[table.name] = _Layout(table, [name for name, _ in attributes], [oid for _, oid in attributes],
                                    earliest.get(table.name))
    return found


def _work(spec: ServiceSpec, consumer: Consumed, settings: Settings, share: list[TopicPartition], url: str, schema: str,
          wanted: Collection[str] | None, n: int, done, results) -> None:
    """One process's share: read, turned into fact rows, COPYed; sends back (n, ends, read, parked, merged, error), merged
    naming the tables where a chunk had two rows of one key."""
    try:
        engine = db.make_engine(url, pool_size=1)
        read = parked = 0
        merged: set[str] = set()
        with fold.uncollected(), engine.begin() as connection, sources.TopicReader(
                settings, consumer.topics, spec.registry, f"rebuild-{spec.name}-{n}", only=share) as reader:
            layouts = _layouts(connection, schema, [*spec.tables.sorted_tables, processed_events], consumer.projector.earliest, n)
            claims = layouts.pop(processed_events.name)
            cursor = driver(connection).cursor()
            for chunk in fold.read_ahead(reader, CHUNK):
                reads = [r for r in chunk if r.event is not None]
                parked += len(chunk) - len(reads)
                if wanted is not None:
                    reads = [r for r in reads if r.event.id in wanted]
                found_rows, merging = _merged(consumer.projector, [r.event for r in reads], layouts)
                merged |= merging
                for name, found in found_rows.items():
                    _copy(cursor, staging(schema, layouts[name].table, n), layouts[name], map(_row(layouts[name]), found.values()))
                # In staging.CLAIMED's order. An event id twice (sent again) is found when the claims are keyed, and then
                # merged (staging.finish_tables).
                _copy(cursor, staging(schema, processed_events, n), claims, [(r.event.id, r.topic, r.partition, r.offset) for r in reads])
                read += len(chunk)
                with done.get_lock():
                    done.value += len(chunk)
            ends = dict(reader.ends)
        engine.dispose()
        results.put((n, ends, read, parked, merged, None))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        results.put((n, {}, 0, 0, set(), traceback.format_exc()))


def _merged(projector, events: list, layouts: dict[str, _Layout]) -> tuple[dict[str, dict[Any, dict]], set[str]]:
    """A chunk's fact rows, those of one key merged as the projector merges them (fewer rows to copy: every event
    names its edition, and a proposal's institutions come again on the roster); and the tables where rows merged."""
    merged: dict[str, dict[Any, dict]] = {name: {} for name in layouts}
    merging = set()
    for table, row in projector.fact_rows(events):  # each row a dict of its own, kept as it is
        layout = layouts[table.name]
        rows = merged[table.name]
        key = layout.key(row)
        known = rows.get(key)
        if known is None:
            rows[key] = row
            continue
        merging.add(table.name)
        if (column := layout.earliest) is not None:
            if row[column] < known[column]:
                known[column] = row[column]
        else:
            for column, value in row.items():
                if value is not None:
                    known[column] = value
    return {name: rows for name, rows in merged.items() if rows}, merging


def _row(layout: _Layout) -> Callable[[dict], tuple]:
    """A fact row (a dict naming some columns) as a tuple of every column in order, None where it states nothing."""
    columns = layout.columns
    return lambda row: tuple(map(row.get, columns))


def _copy(cursor, staging: str, layout: _Layout, rows: Iterable[tuple]) -> None:
    """COPYs rows (tuples of every column in order) into a staging table, in binary: no text made and parsed again."""
    with cursor.copy(f"COPY {staging} ({', '.join(map(quoted, layout.columns))}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(layout.oids)
        for row in rows:
            copy.write_row(row)


def load(spec: ServiceSpec, settings: Settings, url: str, schema: str, workers: int, progress: Progress,
         wanted: Collection[str] | None = None) -> tuple[dict[TopicPartition, int], int, int, set[str]]:
    """Reads `spec`'s consumer's topics in `workers` processes into staging tables of `schema`; returns the ends it read
    to, the messages read, those left parked (unreadable) and the tables where a chunk merged rows of one key."""
    consumer = spec.consumed[0]
    answers = in_processes(_work, [(spec, consumer, settings, share, url, schema, wanted)
                                   for share in dealt(spec, consumer, settings, workers)], progress)
    return ({tp: end for a in answers for tp, end in a[1].items()}, sum(a[2] for a in answers), sum(a[3] for a in answers),
            set().union(*(a[4] for a in answers)))


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
    ends, read, parked, merged = load(spec, settings, target.url.render_as_string(hide_password=False), schema, workers,
                                      progress, wanted)
    lap("read")
    consumer = spec.consumed[0]
    unmerged = {t.name for t in [*tables, processed_events]} - merged

    def summaries() -> None:
        lap("merge and indexes")
        with target.begin() as connection:
            connection.exec_driver_sql(f"SET LOCAL search_path TO {quoted(schema)}")
            with Session(bind=connection) as session:
                consumer.projector.rebuilt(session)
                session.flush()
        lap("summaries")

    claims = Claims(consumer.name, datetime.datetime.now(datetime.timezone.utc))
    counts = finish_tables(target, schema, tables, consumer.projector.earliest, workers, indexes, unmerged, claims, summaries)
    lap("claims after")
    applied = counts["processed_events"]
    built = Built(spec.name, None, applied=applied, read=read, parked=parked, duplicates=read - parked - applied,
                  ends={consumer.name: ends}, timings=timings)
    built.seconds = time.perf_counter() - started
    return built
