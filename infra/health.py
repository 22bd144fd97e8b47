"""What /healthz answers, for a web or a worker process: the database, the broker and the outbox's age."""

from __future__ import annotations

import threading
import time
from typing import Any

from kafka.errors import KafkaError
from sqlalchemy import Engine

from infra import metrics
from infra.config import Settings
from infra.messaging import backlog, kafka

BROKER_TIMEOUT_MS = 1500
"""A health check answers within a probe's timeout (5 s in compose) even when the broker is gone."""
BROKER_CACHE_S = 5.0
"""A broker check is a new connection: one at most this often per process, whoever asks."""


class Health:
    """Checks one service's dependencies; `check()` gives the answer's body and HTTP status."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self._settings = settings
        self._engine = engine
        self._lock = threading.Lock()
        self._broker: tuple[float, bool] = (float("-inf"), False)

    def check(self) -> tuple[dict[str, Any], int]:
        """200 when all is well; 503 "degraded" (broker, outbox) or "failing" (database), saying which."""
        database, outbox = self._database()
        broker = self._broker_up()
        status = "ok"
        if outbox["status"] != "ok" or not broker:
            status = "degraded"
        if database != "ok":
            status = "failing"
        body = {"status": status, "service": self._settings.service, "database": database,
                "broker": "ok" if broker else "unavailable", "outbox": outbox}
        return body, 200 if status == "ok" else 503

    def _database(self) -> tuple[str, dict[str, Any]]:
        limit = self._settings.outbox_max_age_s
        try:
            with self._engine.connect() as connection:
                found = backlog.measure(connection).export(self._settings.service)
                connection.commit()
        except Exception:  # noqa: BLE001 - health reports, never raises
            return "unavailable", {"status": "unknown", "max_age_s": limit}
        return "ok", {"status": "ok" if found.oldest_age_s <= limit else "stale", "pending": found.pending,
                      "oldest_age_s": round(found.oldest_age_s, 3), "max_age_s": limit}

    def _broker_up(self) -> bool:
        with self._lock:
            checked_at, up = self._broker
            if time.monotonic() - checked_at >= BROKER_CACHE_S:
                up = self._ask_broker()
                self._broker = (time.monotonic(), up)
        metrics.BROKER_UP.labels(self._settings.service).set(1 if up else 0)
        return up

    def _ask_broker(self) -> bool:
        try:
            client = kafka.admin(self._settings, f"{self._settings.service}-health",
                                 bootstrap_timeout_ms=BROKER_TIMEOUT_MS, request_timeout_ms=BROKER_TIMEOUT_MS)
        except (KafkaError, OSError):
            return False
        try:
            client.list_topics()
            return True
        except (KafkaError, OSError):
            return False
        finally:
            client.close()
