"""Publishes the sealed outbox to Kafka in chain order, heals a broker that has lost its topics, and never runs on a
store restored behind its topic."""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable

from kafka import KafkaAdminClient, KafkaProducer
from kafka.errors import KafkaError
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy import Engine, bindparam, delete, select, update
from sqlalchemy.exc import DBAPIError

from contracts import topics as topic_names
from infra import metrics, tracing
from infra.config import Settings
from infra.db.statements import built_once
from infra.eventstore import chain
from infra.eventstore.tables import events, outbox, relay_topics
from infra.messaging import kafka
from infra.messaging.leader import LeaderLock
from infra.messaging.wakeup import OutboxBell
from infra.recovery import guard, headers

log = logging.getLogger(__name__)

STRUCTURED = [("content-type", b"application/cloudevents+json; charset=UTF-8")]
"""The CloudEvents Kafka binding's structured mode says so in this header; other languages' SDKs look for it."""
GUARD_RETRY_S = 10.0
"""How often a relay whose store is behind its topic looks again (has `ochotnicy recover` run?)."""
_UNPUBLISHED = built_once(  # the relay reads after every commit
    # Sealed events only, in chain order: each message names its chain sequence, and a partition's last message the
    # newest (what the guard reads).
    select(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.payload, outbox.c.traceparent, events.c.chain_seq,
           events.c.aggregate_type)
    .join(events, events.c.event_id == outbox.c.event_id)
    .where(outbox.c.published_at.is_(None), events.c.chain_seq.is_not(None))
    .order_by(events.c.chain_seq)
    .limit(bindparam("limit"))
)
_SENT = built_once(update(outbox).where(outbox.c.id.in_(bindparam("ids", expanding=True))).values(published_at=bindparam("now")))


class Relay:
    """Seals committed events and sends the sealed, unpublished outbox rows in chain order, marking them sent, so a
    late commit is never skipped.

    Each topic's identity (its topic id) is recorded before anything is published into it; a topic that
    has since vanished or been recreated (an in-memory broker restarted) means the broker lost what it
    acknowledged, and the whole outbox is published again. Consumers drop the duplicates.

    Before it seals anything as leader, it checks that its topic holds nothing sealed beyond the store's chain head
    (infra.recovery.guard): a store restored behind its topic waits for `ochotnicy recover`.
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
        self._log_id: str | None = None
        """The store's log id once the guard has passed for this leadership (None: not checked yet)."""
        self._backoff, self._broker_retry_at = 0.5, 0.0
        self._checked_in = -1
        """The leader lock's generation in which the guard last passed."""

    # -- the loop -----------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Seals the log (database only) and publishes it (broker), each surviving the other's outage."""
        while not stop.is_set():
            try:
                if not self._leader.acquire():
                    self._log_id = None
                    stop.wait(2.0)
                    continue
                if self._leader.generation != self._checked_in:
                    self._log_id = None  # leader again on a new connection: the database may have been restored meanwhile
                if self._log_id is None and not self._store_checked(stop):
                    continue
                worked = self.seal_once()
                if time.monotonic() >= self._broker_retry_at:
                    try:
                        self._connect()
                        if time.monotonic() >= self._next_check:
                            self.heal()
                            self._next_check = time.monotonic() + self._check_every_s
                        worked += self.publish_once()
                        self._backoff = 0.5
                    except (KafkaError, OSError) as exc:
                        self._broker_lost(f"broker unavailable, outbox kept for later: {exc}")
                if not worked:
                    self._bell.wait(stop)
                elif worked < self._batch_size:
                    stop.wait(self._settings.batch_linger_s)
            except DBAPIError as exc:
                log.warning("database unavailable: %s", exc)
                self._leader.release()
                self._log_id = None  # the database may come back restored from a backup: compare again
                stop.wait(1.0)
        self._disconnect()
        self._bell.close()
        self._leader.release()

    def _store_checked(self, stop: threading.Event) -> bool:
        """The guard, once per leadership: False (having waited) while the broker is away or the store is behind."""
        if time.monotonic() < self._broker_retry_at:
            stop.wait(self._broker_retry_at - time.monotonic())
            return False
        try:
            self._connect()
            self.check_store()
            return True
        except guard.StoreBehind as exc:
            log.error("%s; nothing is sealed or published until then", exc)
            stop.wait(GUARD_RETRY_S)
        except (KafkaError, OSError) as exc:
            self._broker_lost(f"broker unavailable; nothing is sealed before the store is compared with its topic: {exc}")
        return False

    def _broker_lost(self, message: str) -> None:
        log.warning(message)
        self._disconnect()
        self._broker_retry_at = time.monotonic() + self._backoff
        self._backoff = min(self._backoff * 2, 5.0)

    def check_store(self) -> None:
        """Raises guard.StoreBehind when the topic holds events sealed beyond the store's chain head."""
        with self._engine.connect() as connection:
            guard.refuse_if_behind(self._settings, connection)
            self._log_id = chain.log_id(connection)
            connection.commit()
        self._checked_in = self._leader.generation

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
        log_id = self._log_id or self._read_log_id()
        spans, futures = [], []
        for row in rows:
            span = self._span(row)
            spans.append(span)
            futures.append(self._producer.send(row.topic, key=row.key.encode(), value=row.payload,
                                               headers=self._headers(row, log_id, span)))
        self._producer.flush(timeout=30)
        sent, failure = [], None
        for row, future, span in zip(rows, futures, spans):
            try:
                future.get(timeout=0)
                sent.append(row)
            except KafkaError as exc:
                failure = failure or exc
                if span is not None:
                    span.set_status(Status(StatusCode.ERROR, str(exc)))
            if span is not None:
                span.end()
        self._mark_sent([row.id for row in sent])
        for row in sent:
            metrics.EVENTS_PUBLISHED.labels(self._service, row.topic).inc()
        if failure is not None:
            raise failure
        return len(sent)

    def _read_log_id(self) -> str:
        with self._engine.connect() as connection:
            found = chain.log_id(connection)
            connection.commit()
        return found

    @staticmethod
    def _span(row):
        """The publication's span, continuing the trace of the request that wrote the event (none without one)."""
        parent = tracing.parent(row.traceparent)
        if parent is None:
            return None
        return tracing.start(f"{row.topic} publish", parent, SpanKind.PRODUCER,
                             {"messaging.system": "kafka", "messaging.destination.name": row.topic,
                              "messaging.kafka.message.key": row.key, "ochotnicy.chain_seq": row.chain_seq})

    @staticmethod
    def _headers(row, log_id: str, span) -> list[tuple[str, bytes]]:
        found = [*STRUCTURED, headers.Link(log_id, row.chain_seq).header(), (headers.AGGREGATE_TYPE, row.aggregate_type.encode())]
        if span is not None:
            found.append((tracing.HEADER, tracing.header_value(span)))
        return found

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
