"""Copies a folded scratch into its target: COPY on PostgreSQL, indexes built after the rows are in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, select

Progress = Callable[[int], None]
ROWS = 10_000


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def driver(connection: Connection) -> Any:
    """The driver's own connection under `connection` (psycopg's or sqlite3's), for COPY and executemany at its speed."""
    raw = connection.connection.driver_connection
    assert raw is not None
    return raw


def copy_rows(scratch: Engine, target: Connection, tables: Sequence[Table], schema: str | None = None,
              progress: Progress = lambda n: None) -> dict[str, int]:
    """Every row of `tables` from `scratch` (SQLite) into the same tables of `target` (in `schema`); rows per table."""
    counts = {}
    with scratch.connect() as source:
        for table in tables:
            if target.dialect.name == "postgresql":
                counts[table.name] = _copy(source, target, table, schema, progress)
            else:
                rows = source.execution_options(yield_per=ROWS).execute(select(table))
                counts[table.name] = _insert(target, table, rows, progress)
    return counts


def _copy(source: Connection, target: Connection, table: Table, schema: str | None, progress: Progress) -> int:
    """COPY of the rows as SQLite stores them, as text PostgreSQL reads the same: times are UTC without a zone (read in
    UTC here), booleans 0 and 1, dates ISO. No conversion to Python values and back, which cost more than the copy."""
    name = f"{quoted(schema)}.{quoted(table.name)}" if schema else quoted(table.name)
    columns = ", ".join(quoted(c.name) for c in table.columns)
    target.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")
    reader = driver(source).cursor()
    reader.execute(f"SELECT {columns} FROM {quoted(table.name)}")
    written = 0
    with driver(target).cursor().copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
        while rows := reader.fetchmany(ROWS):
            for row in rows:
                copy.write_row(row)
            written += len(rows)
            progress(len(rows))
    reader.close()
    return written


def _insert(target: Connection, table: Table, rows, progress: Progress) -> int:
    written = 0
    for partition in rows.partitions():
        target.execute(insert(table), [row._asdict() for row in partition])
        written += len(partition)
        progress(len(partition))
    return written


def index_definitions(connection: Connection, schema: str, table: str, into: str) -> list[str]:
    """PostgreSQL: the statements that give a copy of `schema`.`table` in schema `into` the same keys and indexes."""
    relation = f"{quoted(schema)}.{quoted(table)}"
    constraints = connection.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid), conindid FROM pg_constraint "
        "WHERE conrelid = CAST(%s AS regclass) AND contype IN ('p', 'u') ORDER BY conname", (relation,)).all()
    statements = [f"ALTER TABLE {quoted(into)}.{quoted(table)} ADD CONSTRAINT {quoted(name)} {definition}"
                  for name, definition, _ in constraints]
    backing = [index for _, _, index in constraints]
    indexes = connection.exec_driver_sql(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = CAST(%s AS regclass) "
        "AND NOT (indexrelid = ANY(%s)) ORDER BY indexrelid", (relation, backing)).scalars()
    on = f" ON {schema}.{table} " if schema.isidentifier() and table.isidentifier() else f" ON {relation} "
    for definition in indexes:
        statements.append(definition.replace(on, f" ON {quoted(into)}.{quoted(table)} ", 1))
    return statements


def empty_copies(connection: Connection, schema: str, tables: Sequence[str], into: str) -> None:
    """PostgreSQL: `into` made anew with an empty copy of each table (columns, defaults, checks), no keys or indexes yet."""
    connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {quoted(into)} CASCADE")
    connection.exec_driver_sql(f"CREATE SCHEMA {quoted(into)}")
    for table in tables:
        connection.exec_driver_sql(
            f"CREATE TABLE {quoted(into)}.{quoted(table)} (LIKE {quoted(schema)}.{quoted(table)} "
            "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)")


def drop_keys_and_indexes(connection: Connection, schema: str, table: str) -> None:
    """PostgreSQL: the table's primary and unique keys and its other indexes dropped (to be built after a copy)."""
    relation = f"{quoted(schema)}.{quoted(table)}"
    for (name,) in connection.exec_driver_sql(
            "SELECT conname FROM pg_constraint WHERE conrelid = CAST(%s AS regclass) AND contype IN ('p', 'u')",
            (relation,)).all():
        connection.exec_driver_sql(f"ALTER TABLE {relation} DROP CONSTRAINT {quoted(name)}")
    for (name,) in connection.exec_driver_sql(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = CAST(%s AS regclass)",
            (relation,)).all():
        connection.exec_driver_sql(f"DROP INDEX {quoted(schema)}.{quoted(name)}")


def stripped(connection: Connection, schema: str, tables: Sequence[str]) -> list[str]:
    """PostgreSQL: each table's keys and indexes dropped for a copy; the statements that build them again after it."""
    statements = [s for table in tables for s in index_definitions(connection, schema, table, schema)]
    for table in tables:
        drop_keys_and_indexes(connection, schema, table)
    return statements
