"""Wakes the relay when a transaction has added outbox rows, instead of polling for them."""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy import Engine

log = logging.getLogger(__name__)
CHANNEL = "ochotnicy_outbox"
"""Notified by a trigger on the outbox (migration infra_0003) when a transaction that added rows commits."""


class OutboxBell:
    """On PostgreSQL, LISTENs on its own connection; elsewhere (SQLite), a timer of `poll_s`.

    A ring can be missed while the listening connection is being (re)made, so no wait is longer than
    `idle_s`: the relay then looks anyway.
    """

    def __init__(self, engine: Engine, *, poll_s: float, idle_s: float = 0.5) -> None:
        self._url = engine.url
        self._listens = engine.dialect.name == "postgresql"
        self._poll_s = poll_s
        self._idle_s = idle_s
        self._connection: psycopg.Connection | None = None

    def wait(self, stop: threading.Event) -> None:
        """Until a commit rings, `idle_s` pass, or (without a bell) `poll_s` pass."""
        if not self._listens or stop.is_set():
            stop.wait(self._poll_s)
            return
        try:
            connection = self.listen()
            assert connection is not None
            for _ in connection.notifies(timeout=self._idle_s, stop_after=1):
                pass
        except psycopg.Error as exc:
            log.info("outbox bell lost its connection, polling until it is back: %s", exc)
            self.close()
            stop.wait(self._poll_s)

    def listen(self) -> psycopg.Connection | None:
        """The listening connection, opened if need be (the first wait does it); None without PostgreSQL."""
        if not self._listens:
            return None
        if self._connection is None or self._connection.closed:
            conninfo = self._url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._connection = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
            self._connection.execute(f"LISTEN {CHANNEL}")
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except psycopg.Error:
                pass
            self._connection = None
