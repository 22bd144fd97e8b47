"""Small SQL helpers that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, DateTime, Table, TypeDecorator
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session | Connection, table: Table):
    dialect = (session.dialect if isinstance(session, Connection) else session.get_bind().dialect).name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_ignore(session: Session | Connection, table: Table, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any], keys: Iterable[str]):
    """INSERT … ON CONFLICT (keys) DO NOTHING."""
    if not rows:
        return None
    return session.execute(_insert(session, table).on_conflict_do_nothing(index_elements=list(keys)), rows)


def upsert(
    session: Session,
    table: Table,
    row: Mapping[str, Any],
    keys: Iterable[str],
    update: Iterable[str] | None = None,
):
    """INSERT … ON CONFLICT (keys) DO UPDATE the `update` columns (all others by default)."""
    keys = list(keys)
    stmt = _insert(session, table).values(**row)
    columns = list(update) if update is not None else [c for c in row if c not in keys]
    if not columns:
        return session.execute(stmt.on_conflict_do_nothing(index_elements=keys))
    return session.execute(
        stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in columns})
    )


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
