"""A rebuilt read model in a fresh database of its own, for a service then pointed at it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from infra.config import Settings
from infra.db import migrate
from infra.rebuild import facts, load, run

Progress = Callable[[int], None]


def build(spec, settings: Settings, target: Engine, workers: int | None = None, progress: Progress = lambda n: None) -> run.Built:
    """Rebuilds `spec`'s model (no store of its own) into `target`, which must hold none yet; the Built says what it read."""
    workers = workers or run.readers()
    migrate.upgrade(target, spec.migrations)
    tables = run.tables(spec)
    with target.begin() as connection:
        if filled := [t.name for t in tables if connection.execute(t.select().limit(1)).first() is not None]:
            raise ValueError(f"the database already holds rows of {', '.join(filled)}: a rebuild goes into an empty one")
        if connection.dialect.name == "postgresql" and facts.possible(spec):
            indexes = load.stripped(connection, "public", [t.name for t in tables])
        else:
            indexes = None
    if indexes is not None:
        return facts.build(spec, settings, target, "public", indexes, workers, progress)
    with tempfile.TemporaryDirectory(prefix=f"ochotnicy-rebuild-{spec.name}-") as directory:
        built = run.fold_into_scratch(spec, settings, target, Path(directory), progress, workers=workers)
        into(built, spec, target)
        assert built.scratch is not None
        built.scratch.dispose()
    return built


def into(built: run.Built, spec, target: Engine) -> dict[str, int]:
    """Copies a folded scratch into `target` (migrated, empty); rows per table. On PostgreSQL the tables' keys and
    indexes are dropped for the copy and built again after it."""
    assert built.scratch is not None
    migrate.upgrade(target, spec.migrations)
    tables = run.tables(spec)
    with target.begin() as connection:
        if connection.dialect.name != "postgresql":
            return load.copy_rows(built.scratch, connection, tables)
        rebuilt = load.stripped(connection, "public", [t.name for t in tables])
        counts = load.copy_rows(built.scratch, connection, tables)
        for statement in rebuilt:
            connection.exec_driver_sql(statement)
        for table in tables:
            connection.exec_driver_sql(f"ANALYZE {load.quoted(table.name)}")
    return counts
