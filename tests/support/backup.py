"""The runbook's backup and restore commands (docs/operations.md, "Backup and restore"), run as an operator runs them."""

from __future__ import annotations

import subprocess
from pathlib import Path


def libpq(url: str) -> str:
    """A database URL as pg_dump and psql take it (no SQLAlchemy driver name)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _server_and_name(url: str) -> tuple[str, str]:
    server, _, name = libpq(url).rpartition("/")
    return f"{server}/postgres", name


def dump(url: str, path: Path) -> Path:
    """`pg_dump --format=custom --file=<path> <database>`: a consistent snapshot, taken while the service runs."""
    done = subprocess.run(["pg_dump", "--format=custom", f"--file={path}", libpq(url)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


def restore(url: str, path: Path) -> None:
    """Drops the database and restores it from the dump: `dropdb --force`, `createdb`, `pg_restore --no-owner`."""
    maintenance, name = _server_and_name(url)
    subprocess.run(["dropdb", "--force", "--if-exists", f"--maintenance-db={maintenance}", name], check=True, capture_output=True)
    subprocess.run(["createdb", f"--maintenance-db={maintenance}", name], check=True, capture_output=True)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq(url)}", str(path)],
                   check=True, capture_output=True)
