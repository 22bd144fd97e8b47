"""Engines and sessions for SQLite (local) and PostgreSQL (tests, production)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine, TextClause, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from infra.db.statements import built_once, dialect_name


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine tuned for the dialect: WAL and immediate transactions on SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True)
        _sqlite_immediate_transactions(engine)
        return engine
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    # hide_parameters: an error's text (logged) never carries the values of a statement (personal data).
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=10, hide_parameters=True)


def _sqlite_immediate_transactions(engine: Engine) -> None:
    # pysqlite defers BEGIN; a write lock taken at the start avoids upgrade deadlocks between processes.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # What a statement deletes is overwritten with zeros, not left in free pages (an erased person's key).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def fold_log(engine: Engine) -> bool:
    """SQLite: the write-ahead log copied into the database and emptied (its old page images gone); nothing elsewhere.

    Called after an erasure, so the key's page survives in no older copy. False when a reader held on (see the busy
    wait of the connections) and the log could not be emptied.
    """
    if engine.dialect.name != "sqlite":
        return True  # PostgreSQL's WAL is the server's; what reaches it of a person is ciphertext
    connection = engine.raw_connection()  # outside any transaction: SQLAlchemy's would BEGIN IMMEDIATE first
    try:
        cursor = connection.cursor()
        busy, _pages, _copied = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.close()
    finally:
        connection.close()
    return busy == 0


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def transient(exc: BaseException) -> bool:
    """A database error worth retrying (the connection), not a fault of the event or the request."""
    return isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


@built_once
def _advisory_statement(wait: bool, held_by: str, shared: bool) -> TextClause:
    scope = "xact_" if held_by == "transaction" else ""
    return text(f"SELECT pg_{'' if wait else 'try_'}advisory_{scope}lock{'_shared' if shared else ''}(:key)")


def advisory_lock(bind: Session | Connection, name: str, *, shared: bool = False, wait: bool = True,
                  held_by: Literal["transaction", "connection"] = "transaction") -> bool:
    """PostgreSQL's advisory lock `name` (keyed by its hash), held until the transaction or connection ends; True at once on SQLite."""
    if dialect_name(bind) != "postgresql":
        return True  # SQLite writes one transaction at a time, and a service on it runs one worker
    key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
    got = bind.execute(_advisory_statement(wait, held_by, shared), {"key": key}).scalar()
    return wait or bool(got)
