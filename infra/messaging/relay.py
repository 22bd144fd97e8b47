"""Publishes the outbox to Kafka in order, and heals a broker that has lost its topics."""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable

from kafka import KafkaAdminClient, KafkaProducer
from kafka.errors import KafkaError
from sqlalchemy import Engine, bindparam, delete, select, update
from sqlalchemy.exc import DBAPIError

from contracts import topics as topic_names
from infra import metrics
from infra.config import Settings
from infra.db.statements import built_once
from infra.eventstore import chain
from infra.eventstore.tables import outbox, relay_topics
from infra.messaging import kafka
from infra.messaging.leader import LeaderLock
from infra.messaging.wakeup import OutboxBell

log = logging.getLogger(__name__)

STRUCTURED = [("content-type", b"application/cloudevents+json; charset=UTF-8")]
"""The CloudEvents Kafka binding's structured mode says so in this header; other languages' SDKs look for it."""
_UNPUBLISHED = built_once(  # the relay reads after every commit
    select(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.payload)
    .where(outbox.c.published_at.is_(None))
    .order_by(outbox.c.id)
    .limit(bindparam("limit"))
)
_SENT = built_once(update(outbox).where(outbox.c.id.in_(bindparam("ids", expanding=True))).values(published_at=bindparam("now")))


class Relay:
    """Sends unpublished outbox rows in id order and marks them sent, so a late commit is never skipped.

    Each topic's identity (its topic id) is recorded before anything is published into it; a topic that
    has since vanished or been recreated (an in-memory broker restarted) means the broker lost what it
    acknowledged, and the whole outbox is published again. Consumers drop the duplicates.
    """

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        batch_size: int = 2000,
        check_every_s: float = 2.0,
        producer_factory: Callable[[], KafkaProducer] | None = None,
    ) -> None:
        self._settings = settings
        self._engine = engine
        self._service = settings.service
        self._topics = [topic_names.BY_SERVICE[self._service]] if self._service in topic_names.BY_SERVICE else []
        self._batch_size = batch_size
        self._check_every_s = check_every_s
        self._producer_factory = producer_factory or (lambda: kafka.producer(settings, f"{self._service}-relay"))
        self._producer: KafkaProducer | None = None
        self._admin: KafkaAdminClient | None = None
        self._next_check = 0.0
        self._leader = LeaderLock(engine, f"relay:{self._service}")
        self._bell = OutboxBell(engine, poll_s=settings.relay_interval_s)

    # -- the loop -----------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Seals the log (database only) and publishes it (broker), each surviving the other's outage."""
        backoff, broker_retry_at = 0.5, 0.0
        while not stop.is_set():
            try:
                if not self._leader.acquire():
                    stop.wait(2.0)
                    continue
                worked = self.seal_once()
                if time.monotonic() >= broker_retry_at:
                    try:
                        self._connect()
                        if time.monotonic() >= self._next_check:
                            self.heal()
                            self._next_check = time.monotonic() + self._check_every_s
                        worked += self.publish_once()
                        backoff = 0.5
                    except (KafkaError, OSError) as exc:
                        log.warning("broker unavailable, outbox kept for later: %s", exc)
                        self._disconnect()
                        broker_retry_at = time.monotonic() + backoff
                        backoff = min(backoff * 2, 5.0)
                if not worked:
                    self._bell.wait(stop)
                elif worked < self._batch_size:
                    stop.wait(self._settings.batch_linger_s)
            except DBAPIError as exc:
                log.warning("database unavailable: %s", exc)
                self._leader.release()
                stop.wait(1.0)
        self._disconnect()
        self._bell.close()
        self._leader.release()

    def seal_once(self) -> int:
        """Chains newly committed events by hash (see infra.eventstore.chain)."""
        with self._engine.begin() as connection:
            return chain.seal(connection)

    def _connect(self) -> None:
        if self._admin is None:
            self._admin = kafka.admin(self._settings, f"{self._service}-relay-admin")
            self._next_check = 0.0  # a new connection may meet a new broker: check before publishing
        if self._producer is None:
            self._producer = self._producer_factory()

    def _disconnect(self) -> None:
        for close in (
            lambda: self._producer and self._producer.close(timeout=1),
            lambda: self._admin and self._admin.close(),
        ):
            try:
                close()
            except Exception:  # noqa: BLE001 - closing a broken client must not stop the relay
                pass
        self._producer = self._admin = None
        self._next_check = 0.0

    # -- publishing ---------------------------------------------------------
    def publish_once(self) -> int:
        """Publishes one batch; returns how many rows went out."""
        with self._engine.begin() as connection:  # ends with COMMIT: a ROLLBACK would drop prepared statements
            rows = connection.execute(_UNPUBLISHED, {"limit": self._batch_size}).all()
        if not rows:
            return 0
        assert self._producer is not None
        futures = [self._producer.send(r.topic, key=r.key.encode(), value=r.payload, headers=STRUCTURED) for r in rows]
        self._producer.flush(timeout=30)
        sent, failure = [], None
        for row, future in zip(rows, futures):
            try:
                future.get(timeout=0)
                sent.append(row)
            except KafkaError as exc:
                failure = failure or exc
        self._mark_sent([row.id for row in sent])
        for row in sent:
            metrics.EVENTS_PUBLISHED.labels(self._service, row.topic).inc()
        if failure is not None:
            raise failure
        return len(sent)

    def _mark_sent(self, ids: list[int]) -> None:
        now = datetime.datetime.now(datetime.timezone.utc)
        with self._engine.begin() as connection:
            for start in range(0, len(ids), 1000):
                connection.execute(_SENT, {"ids": ids[start : start + 1000], "now": now})

    # -- healing ------------------------------------------------------------
    def heal(self) -> bool:
        """Re-publishes everything if a topic we published into is gone or was recreated."""
        assert self._admin is not None
        live = self._topic_ids()
        with self._engine.connect() as connection:
            recorded = {r.topic: r.topic_id for r in connection.execute(select(relay_topics)).all()}
        lost = [t for t in self._topics if t in recorded and live.get(t) != recorded[t]]
        if lost or any(live.get(t) is None for t in self._topics):
            kafka.ensure_topics(self._settings, self._topics, f"{self._service}-relay")
            live = self._topic_ids()
        with self._engine.begin() as connection:
            if lost:
                republishing = connection.execute(
                    update(outbox).where(outbox.c.topic.in_(lost), outbox.c.published_at.is_not(None)).values(published_at=None)
                ).rowcount
                log.warning(
                    "the broker lost topics it had acknowledged writes to; re-publishing them",
                    extra={"topics": lost, "republishing": republishing},
                )
            for topic in self._topics:
                if live.get(topic) and live[topic] != recorded.get(topic):
                    connection.execute(delete(relay_topics).where(relay_topics.c.topic == topic))
                    connection.execute(relay_topics.insert().values(topic=topic, topic_id=live[topic]))
        return bool(lost)

    def _topic_ids(self) -> dict[str, str | None]:
        assert self._admin is not None
        described = self._admin.describe_topics(self._topics)
        return {d["name"]: (d.get("topic_id") if d.get("error_code") == 0 else None) for d in described}
