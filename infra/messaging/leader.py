"""One leader among a service's worker processes, via a PostgreSQL advisory lock."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from infra.db import advisory_lock


class LeaderLock:
    """Held on a connection of its own for as long as the leader lives; SQLite has one worker."""

    def __init__(self, engine: Engine, name: str) -> None:
        self._engine = engine
        self._name = name
        self._connection: Connection | None = None
        self.generation = 0
        """Counts the acquisitions on a new connection: a leader that lost its connection and got the lock again may now
        stand on another database (one restored from a backup) and must look at it afresh."""

    @property
    def _alone(self) -> bool:
        """On SQLite a service runs one worker: it leads without a lock, or a connection to hold one on."""
        return self._engine.dialect.name != "postgresql"

    def acquire(self) -> bool:
        if self._alone:
            return True
        if self._connection is not None and self.held():
            return True
        self.release()
        # Autocommit: the lock is the session's, and checking it is one round trip, not BEGIN … COMMIT.
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = advisory_lock(connection, self._name, wait=False, held_by="connection")
        connection.commit()
        if got:
            self._connection = connection
            self.generation += 1
            return True
        connection.close()
        return False

    def held(self) -> bool:
        if self._alone:
            return True
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except DBAPIError:
            self.release()
            return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
            except DBAPIError:
                pass
            self._connection = None
