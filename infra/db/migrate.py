"""Brings a service database to the newest schema: shared tables first, then the service's own."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from infra.config import ConfigError
from infra.db import advisory_lock

HERE = Path(__file__).parent / "migrations"


def _config(service_versions: Path | None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "space")
    locations = [HERE / "versions"] + ([service_versions] if service_versions else [])
    cfg.set_main_option("version_locations", " ".join(str(p) for p in locations))
    return cfg


def upgrade(engine: Engine, service_versions: Path | None) -> None:
    """Runs every pending migration; safe when several processes start at once."""
    cfg = _config(service_versions)
    with engine.begin() as connection:
        advisory_lock(connection, "migrate")  # one migrator at a time; the others wait, then find nothing left to do
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")


def require_current(engine: Engine, service_versions: Path | None) -> None:
    """Refuses a database whose schema is not the newest: `ochotnicy migrate` has not run since the upgrade."""
    newest = set(ScriptDirectory.from_config(_config(service_versions)).get_heads())
    with engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    if applied != newest:
        raise ConfigError(f"the database schema is not the newest ({sorted(applied) or 'empty'}, newest {sorted(newest)}): "
                          "run `ochotnicy migrate` first")
