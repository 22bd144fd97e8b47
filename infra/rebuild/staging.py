"""The staged rebuild's tables in PostgreSQL: a staging table per model table and reading process, then each model
table filled from them (merged by key, or copied as it is where no key came twice), keyed, indexed and analysed."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
from collections.abc import Callable, Collection, Sequence

from sqlalchemy import Boolean, Connection, Engine, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError

from infra.eventstore.tables import processed_events
from infra.rebuild.load import quoted

CLAIMED = ("event_id", "topic", "partition", "offset")
"""What a reading process stages of each claim: the consumer and the time are the same for every claim, set at the end."""


@dataclasses.dataclass(frozen=True)
class Claims:
    """Whose claims the staged ones are, and the time they are recorded as processed at."""

    consumer: str
    at: datetime.datetime


def staging(schema: str, table: Table, n: int) -> str:
    """The staging table of `table` that reading process `n` COPYs into."""
    return f"{quoted(schema)}.{quoted(f'staging_{n}_{table.name}')}"


def create_staging(connection: Connection, schema: str, tables: Sequence[Table], workers: int) -> None:
    """Unlogged tables without keys or NOT NULL, one per model table and one for the claims (their CLAIMED columns), for
    each worker: two processes COPYing into one table wait on each other to extend it."""
    dialect = postgresql.dialect()
    for table in [*tables, processed_events]:
        columns = ", ".join(f"{quoted(c.name)} {c.type.compile(dialect=dialect)}" for c in _staged_columns(table))
        for n in range(workers):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {staging(schema, table, n)}")
            connection.exec_driver_sql(f"CREATE UNLOGGED TABLE {staging(schema, table, n)} ({columns})")


def finish_tables(target: Engine, schema: str, tables: Sequence[Table], earliest: dict[str, str], workers: int,
                  indexes: Sequence[str], unmerged: Collection[str], claims: Claims, then: Callable[[], None] = lambda: None,
                  threads: int = 2) -> dict[str, int]:
    """Each staging table merged by key into its model table (which has no rows yet), then dropped, and the table's
    keys and `indexes` built and its statistics taken; rows per table.

    A table in `unmerged` (no chunk of any reading process had two rows of one key) is first copied as it is, its keys
    built at once: if they hold, those rows are what the merge would give, one per key, without the merge's sort.
    Where a key comes twice (rows of one key in two chunks or two processes) that is undone and the table merged.
    Tables go side by side on `threads` connections, largest first, each from its merge to its statistics: one
    statement runs on one core, and no table waits for the others' merges before its indexes. The claims (which become
    `claims`') go last, on the first connection free; once every table of the model is finished, `then` runs beside
    them on one of its own (the projector's `rebuilt` reads no claim).
    """
    def one(table: Table) -> int:
        own = [i for i in indexes if _on(i, schema, table)]  # after the rows: one sort per index, not an insert per row
        finished = [*own, f"ANALYZE {quoted(schema)}.{quoted(table.name)}"]
        if table.name in unmerged:
            try:
                with target.begin() as connection:
                    return _finish(connection, _copy_sql(schema, table, workers, claims), schema, table, workers, finished)
            except IntegrityError:
                pass  # a key came twice: merged below
        with target.begin() as connection:
            return _finish(connection, _merge_sql(schema, table, earliest.get(table.name), workers, claims), schema, table,
                           workers, finished)

    every = [*tables, processed_events]
    assert all(any(_on(i, schema, t) for t in every) for i in indexes), "an index of no table written"
    with target.connect() as connection:
        sizes = {table.name: sum(connection.exec_driver_sql(
            "SELECT pg_relation_size(CAST(%s AS regclass))", (staging(schema, table, n),)).scalar_one()
            for n in range(workers)) for table in tables}
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        model = {table.name: pool.submit(one, table) for table in sorted(tables, key=lambda t: -sizes[t.name])}
        claimed = pool.submit(one, processed_events)  # on the first connection free once every model table has begun
        counts = {name: future.result() for name, future in model.items()}
        then()  # beside the claims, on a connection of its own
        return {**counts, processed_events.name: claimed.result()}


def _finish(connection: Connection, fill: str, schema: str, table: Table, workers: int, statements: Sequence[str]) -> int:
    count = connection.exec_driver_sql(fill).rowcount
    for n in range(workers):
        connection.exec_driver_sql(f"DROP TABLE {staging(schema, table, n)}")
    for statement in statements:
        connection.exec_driver_sql(statement)
    return count


def _staged_columns(table: Table) -> list:
    return [table.c[name] for name in CLAIMED] if table is processed_events else list(table.columns)


def _staged(schema: str, table: Table, workers: int) -> str:
    return "(" + " UNION ALL ".join(f"SELECT * FROM {staging(schema, table, n)}" for n in range(workers)) + ") AS staged"


def _values(table: Table, claims: Claims) -> str:
    """The staged columns in the table's order; for the claims, the consumer and the time as constants among them."""
    if table is not processed_events:
        return ", ".join(quoted(c.name) for c in table.columns)
    constants = {"consumer": _literal(claims.consumer), "processed_at": f"CAST({_literal(claims.at.isoformat())} AS timestamptz)"}
    return ", ".join(constants.get(c.name, quoted(c.name)) for c in table.columns)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_sql(schema: str, table: Table, workers: int, claims: Claims) -> str:
    columns = ", ".join(quoted(c.name) for c in table.columns)
    return (f"INSERT INTO {quoted(schema)}.{quoted(table.name)} ({columns}) SELECT {_values(table, claims)} "
            f"FROM {_staged(schema, table, workers)}")


def _merge_sql(schema: str, table: Table, earliest: str | None, workers: int, claims: Claims) -> str:
    columns = ", ".join(quoted(c.name) for c in table.columns)
    staged = _staged(schema, table, workers)
    if table is processed_events:  # each event id once, at its first offset, as the live consumer claims it
        return (f"INSERT INTO {quoted(schema)}.processed_events ({columns}) SELECT DISTINCT ON (event_id) "
                f"{_values(table, claims)} FROM {staged} ORDER BY event_id, \"offset\"")
    keys = [c.name for c in table.primary_key.columns]
    values = [quoted(c.name) if c.name in keys else f"{_aggregate(c, earliest)}({quoted(c.name)})" for c in table.columns]
    return (f"INSERT INTO {quoted(schema)}.{quoted(table.name)} ({columns}) SELECT {', '.join(values)} FROM {staged} "
            f"GROUP BY {', '.join(quoted(k) for k in keys)}")


def _on(statement: str, schema: str, table: Table) -> bool:
    """Whether an index or key statement (load.index_definitions) is about `table` of `schema`."""
    return f"{quoted(schema)}.{quoted(table.name)} " in statement


def _aggregate(column, earliest: str | None) -> str:
    if column.name == earliest:
        return "min"
    return "bool_or" if isinstance(column.type, Boolean) else "max"
