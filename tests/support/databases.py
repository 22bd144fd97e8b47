"""Scratch databases: PostgreSQL at 127.0.0.1:5432 when it answers, SQLite files otherwise."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import psycopg

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            pass
        with psycopg.connect(ADMIN_URL, connect_timeout=2):
            return True
    except (OSError, psycopg.Error):
        return False


class Databases:
    """Creates databases on demand and drops them all at the end."""

    def __init__(self, tmp: Path, use_postgres: bool) -> None:
        self._tmp = tmp
        self.postgres = use_postgres
        self._created: list[str] = []

    def create(self, label: str) -> str:
        name = f"och_{label}_{uuid.uuid4().hex[:8]}"
        if not self.postgres:
            return f"sqlite:///{self._tmp / name}.sqlite3"
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    def drop_all(self) -> None:
        if not self._created:
            return
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            for name in self._created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()
