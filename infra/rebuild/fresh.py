"""A rebuilt read model copied into a fresh database of its own, for a service then pointed at it."""

from __future__ import annotations

from sqlalchemy import Engine

from infra.db import migrate
from infra.rebuild import load, run


def into(built: run.Built, spec, target: Engine) -> dict[str, int]:
    """Migrates `target` (which must hold no read model yet) and copies the rebuilt rows in; rows per table.

    On PostgreSQL the tables' keys and indexes are dropped for the copy and built again after it.
    """
    migrate.upgrade(target, spec.migrations)
    tables = run.tables(spec)
    with target.begin() as connection:
        filled = [t.name for t in tables if connection.execute(t.select().limit(1)).first() is not None]
        if filled:
            raise ValueError(f"the database already holds rows of {', '.join(filled)}: a rebuild goes into an empty one")
        if connection.dialect.name != "postgresql":
            return load.copy_rows(built.scratch, connection, tables)
        rebuilt = []
        for table in tables:
            rebuilt += load.index_definitions(connection, "public", table.name, "public")
            load.drop_keys_and_indexes(connection, "public", table.name)
        counts = load.copy_rows(built.scratch, connection, tables)
        for statement in rebuilt:
            connection.exec_driver_sql(statement)
        for table in tables:
            connection.exec_driver_sql(f"ANALYZE {load.quoted(table.name)}")
    return counts
