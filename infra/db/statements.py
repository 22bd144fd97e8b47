"""Small SQL helpers that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, overload

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    bindparam,
    case,
    func,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

T = TypeVar("T")
R = TypeVar("R")


@overload
def built_once(statement: Callable[..., R]) -> Callable[..., R]: ...
@overload
def built_once(statement: T) -> T: ...
def built_once(statement):
    """Marks a statement built once and reused: building one and deriving its cache key cost more than running it.

    SQLAlchemy derives a statement's cache key on its first execution and keeps it on the statement,
    so a statement kept at module or class level costs only its execution when run again. Statements
    run for every request, event or batch are kept so. Given a function that builds statements, it
    returns the function cached: one statement per set of arguments (per shape).
    """
    return functools.cache(statement) if callable(statement) else statement


def dialect_name(session: Session | Connection) -> str:
    """The name of the database dialect a session or connection speaks: "sqlite" or "postgresql"."""
    return (session.dialect if isinstance(session, Connection) else session.get_bind().dialect).name


def _insert(dialect: str, table: Table):
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_ignore(session: Session | Connection, table: Table, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any], keys: Iterable[str]):
    """INSERT … ON CONFLICT (keys) DO NOTHING."""
    if not rows:
        return None
    return session.execute(_upsert_statement(dialect_name(session), table, tuple(keys), ()), rows)


def insert_new(session: Session | Connection, table: Table, rows: Sequence[Mapping[str, Any]], keys: Iterable[str], returning: str) -> set:
    """INSERT … ON CONFLICT (keys) DO NOTHING RETURNING `returning`: its values for the rows that were new.

    Claiming first and acting only on what was claimed is what makes a consumer apply an event once,
    also when two of them race for it (the loser waits on the winner's key, then gets nothing back).
    """
    if not rows:
        return set()
    dialect = dialect_name(session)
    if dialect == "postgresql":
        return set(bulk_insert(session, table, rows, keys, on_conflict="nothing", returning=returning).scalars())
    statement = _insert(dialect, table).on_conflict_do_nothing(index_elements=list(keys)).returning(table.c[returning])
    return set(session.execute(statement, list(rows)).scalars())


def merge(session: Session | Connection, table: Table, rows: Sequence[Mapping[str, Any]], keys: Iterable[str]):
    """Many rows upserted at once: a row's non-null values replace the stored ones, its NULLs keep them.

    The rows may name only some of the table's columns; the others count as NULL.
    """
    if not rows:
        return None
    keys, columns = tuple(keys), tuple(table.c.keys())
    dialect = dialect_name(session)
    if dialect == "postgresql":
        return bulk_insert(session, table, rows, keys, on_conflict="coalesce", columns=columns)
    statement = _upsert_statement(dialect, table, keys, tuple(c for c in columns if c not in keys), coalesce=True)
    return session.execute(statement, [{c: row.get(c) for c in columns} for row in rows])  # executemany: cheap in-process


def lock_rows(session: Session | Connection, table: Table, rows: Sequence[Mapping[str, Any]], keys: Iterable[str]):
    """INSERT … ON CONFLICT (keys) DO UPDATE SET the keys: each row locked in the order given, created if new.

    A stored row keeps its values. Taking row locks in one order (sort `rows`) is what keeps two
    transactions locking the same rows from waiting on each other in a cycle.
    """
    if not rows:
        return None
    keys = tuple(keys)
    # SET key = excluded.key: on a conflict the two are equal, so the update changes nothing but takes the lock.
    return session.execute(_upsert_statement(dialect_name(session), table, keys, keys), list(rows))


def bulk_insert(
    session: Session | Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    keys: Iterable[str],
    *,
    on_conflict: str,
    returning: str | None = None,
    columns: Sequence[str] | None = None,
):
    """PostgreSQL: many rows in one statement, a column of values per array, unnested into rows.

    `on_conflict` is "nothing" or "coalesce" (a row's non-null values replace the stored ones).
    `columns` (default: the first row's keys) are written, NULL where a row lacks one.
    Far cheaper than executemany, whose per-row round of parameter conversion dominated replays.
    """
    columns = tuple(columns or rows[0].keys())
    arrays = tuple([row.get(c) for row in rows] for c in columns)
    connection = session if isinstance(session, Connection) else session.connection()
    return connection.exec_driver_sql(_unnest_sql(table, columns, tuple(keys), on_conflict, returning), arrays)


@built_once
def _unnest_sql(table: Table, columns: tuple[str, ...], keys: tuple[str, ...], on_conflict: str, returning: str | None) -> str:
    arrays, names = _unnest_arrays(table, columns), _names(columns)
    if on_conflict == "nothing":
        action = "DO NOTHING"
    elif on_conflict == "coalesce":
        action = "DO UPDATE SET " + ", ".join(
            f'"{c}" = COALESCE(EXCLUDED."{c}", {table.name}."{c}")' for c in columns if c not in keys
        )
    else:
        raise ValueError(f"unknown on_conflict {on_conflict!r}")
    tail = f' RETURNING "{returning}"' if returning else ""
    return (f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays}) AS batch({names}) "
            f"ON CONFLICT ({_names(keys)}) {action}{tail}")


def _unnest_arrays(table: Table, columns: Sequence[str]) -> str:
    """One array parameter per column, typed for `unnest`."""
    return ", ".join(f"%b::{pg_array_type(table.c[c].type)}" for c in columns)


def _names(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)  # quoted: "offset" is a column name too


def bulk_update(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]], key: str) -> None:
    """Sets each row's other columns where `key` has the row's value: on PostgreSQL one statement for all rows."""
    if not rows:
        return
    columns = tuple(c for c in rows[0] if c != key)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            _unnest_update_sql(table, key, columns), tuple([row[c] for row in rows] for c in (key, *columns))
        )
        return
    # A bind parameter may not share a column's name in SET.
    statement = update(table).where(table.c[key] == bindparam(f"b_{key}")).values({c: bindparam(f"b_{c}") for c in columns})
    connection.execute(statement, [{f"b_{c}": v for c, v in row.items()} for row in rows])


@built_once
def _unnest_update_sql(table: Table, key: str, columns: tuple[str, ...]) -> str:
    sets = ", ".join(f'"{c}" = batch."{c}"' for c in columns)
    return (f"UPDATE {table.name} SET {sets} FROM unnest({_unnest_arrays(table, (key, *columns))}) "
            f'AS batch({_names((key, *columns))}) WHERE {table.name}."{key}" = batch."{key}"')


def pg_array_type(column_type) -> str:
    """The PostgreSQL array type for values of a column of `column_type`."""
    if isinstance(column_type, UtcDateTime):
        return "timestamptz[]"
    if isinstance(column_type, BigInteger):
        return "bigint[]"
    if isinstance(column_type, Integer):
        return "integer[]"
    if isinstance(column_type, Boolean):
        return "boolean[]"
    if isinstance(column_type, Date):
        return "date[]"
    if isinstance(column_type, (String, Text)):
        return "text[]"
    raise TypeError(f"no PostgreSQL array type for {column_type!r}")


def upsert(
    session: Session,
    table: Table,
    row: Mapping[str, Any],
    keys: Iterable[str],
    update: Iterable[str] | None = None,
    *,
    latest: str | None = None,
    if_newer: str | None = None,
):
    """INSERT … ON CONFLICT (keys) DO UPDATE the `update` columns (all others by default).

    `latest` names a column that keeps the later of the stored and the new value; `if_newer` one whose
    new value must exceed the stored one for the update to happen at all.
    """
    keys = tuple(keys)
    columns = tuple(update) if update is not None else tuple(c for c in row if c not in keys)
    return session.execute(_upsert_statement(dialect_name(session), table, keys, columns, latest, if_newer), dict(row))


@built_once
def _upsert_statement(dialect: str, table: Table, keys: tuple[str, ...], update: tuple[str, ...],
                      latest: str | None = None, if_newer: str | None = None, coalesce: bool = False):
    """The statement `upsert` runs, one per shape."""
    insert = _insert(dialect, table)
    if not update and latest is None:
        return insert.on_conflict_do_nothing(index_elements=list(keys))
    set_ = {c: func.coalesce(insert.excluded[c], table.c[c]) if coalesce else insert.excluded[c] for c in update}
    if latest is not None:
        stored, new = table.c[latest], insert.excluded[latest]
        set_[latest] = case((stored < new, new), else_=stored)
    where = table.c[if_newer] < insert.excluded[if_newer] if if_newer is not None else None
    return insert.on_conflict_do_update(index_elements=list(keys), set_=set_, where=where)


class UtcDateTime(TypeDecorator):
    """A timestamp that is always UTC and timezone-aware, also on SQLite (which drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use UTC")
        return value.astimezone(datetime.timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=datetime.timezone.utc)
        return value
