"""Applies events from Kafka to a read model, each exactly once in effect."""

from __future__ import annotations

import collections
import datetime
import logging
import threading
import time
from collections.abc import Sequence

from kafka import KafkaConsumer
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from contracts import envelope
from contracts.envelope import Envelope, InvalidEvent
from contracts.registry import EventRegistry
from infra import context, metrics, tracing
from infra.config import Settings
from infra.db import transient
from infra.db.statements import insert_new
from infra.eventstore.tables import processed_events
from infra.messaging import kafka
from infra.messaging.deadletter import DeadLetters
from infra.projection import Projector

log = logging.getLogger(__name__)
SMALL_BATCH = 500
"""A batch this small means the consumer has caught up; lingering then lets the next batch grow."""
JOIN_BEFORE_LEAVING_S = 10.0
"""How long a member stopped while joining its group may go on joining, so that it leaves a settled group."""


def joining(client: KafkaConsumer) -> bool:
    """The member has no partitions, and not because its group settled with none for it (more members than partitions).

    Only kafka-python's coordinator knows the group settled; a client without one counts as joining.
    """
    if client.assignment():
        return False
    coordinator = getattr(client, "_coordinator", None)
    return coordinator is None or coordinator.generation_if_stable() is None


class Consumer:
    """A consumer group member: poll, apply in one transaction with the processed ids, then commit offsets."""

    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        *,
        name: str,
        topics: Sequence[str],
        projector: Projector,
        registry: EventRegistry,
        max_batch: int = 5000,
    ) -> None:
        self.name = name
        self._max_batch = max_batch
        self._settings = settings
        self._session_factory = session_factory
        self._topics = list(topics)
        self._projector = projector
        self._registry = registry
        self._consumer: KafkaConsumer | None = None
        self._dead_letters = DeadLetters(settings, name)
        self._next_lag = 0.0
        self._uncommitted = False
        self._next_commit = 0.0

    # -- the loop -----------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        backoff = 0.5
        while not stop.is_set():
            try:
                self._consumer = kafka.consumer(
                    self._settings,
                    self.name,
                    f"{self.name}-{threading.get_ident()}",
                    metadata_max_age_ms=5000,
                    max_poll_records=self._max_batch,
                )
                self._consumer.subscribe(self._topics)
                while not stop.is_set():
                    if 0 < self.poll_once() < SMALL_BATCH:
                        stop.wait(self._settings.batch_linger_s)
                    backoff = 0.5
                self._commit_applied()
                self._finish_joining()
            except KafkaError as exc:
                log.warning("consumer %s lost the broker: %s", self.name, exc)
            except DBAPIError as exc:
                if not transient(exc):
                    raise
                log.warning("consumer %s lost the database, will re-read from committed offsets: %s", self.name, exc)
            finally:
                self._close()
            stop.wait(backoff)
            backoff = min(backoff * 2, 5.0)

    def poll_once(self) -> int:
        assert self._consumer is not None
        batches = self._consumer.poll(timeout_ms=500)
        messages = [m for records in batches.values() for m in records]
        if messages:
            self.process(messages)
            self._uncommitted = True
        if self._uncommitted and time.monotonic() >= self._next_commit:
            # Only after the read model's commit, and at most every offset_commit_s. Not waited for: a commit
            # lost or not yet made (a rebalance, a crash) only means the next owner re-reads, and the processed
            # record drops the duplicates.
            self._consumer.commit_async(callback=self._committed)
            self._uncommitted = False
            self._next_commit = time.monotonic() + self._settings.offset_commit_s
        self._report_lag()
        return len(messages)

    def _commit_applied(self) -> None:
        """On a clean stop, every position polled was applied: commit them, so a restart re-reads nothing."""
        if not self._uncommitted or self._consumer is None:
            return
        try:
            self._consumer.commit(timeout_ms=5000)
            self._uncommitted = False
        except KafkaError as exc:
            log.info("offsets not committed on stop (%s); the next owner will read again and drop", exc)

    def _finish_joining(self) -> None:
        """On a clean stop, a member that has no partitions yet first gets them, then leaves (close).

        Tansu never finishes a rebalance that a member leaves between being told it joined and receiving
        its partitions: every later member of the group then rejoins for ever and reads nothing (a worker
        restarted twice within seconds stalled its successor for minutes). A member that leaves with its
        partitions, or with none in a settled group, starts an ordinary rebalance. What it polls meanwhile
        is neither applied nor committed, so the next owner reads it.
        """
        if self._consumer is None:
            return
        deadline = time.monotonic() + JOIN_BEFORE_LEAVING_S
        while joining(self._consumer) and time.monotonic() < deadline:
            self._consumer.poll(timeout_ms=200)

    def _committed(self, _offsets, response) -> None:
        if isinstance(response, Exception):
            log.info("offset commit not taken (%s); these events will be read again and dropped", response)

    def _close(self) -> None:
        if self._consumer is not None:
            try:
                self._consumer.close(autocommit=False)
            except Exception:  # noqa: BLE001 - a broken client must not stop the loop
                pass
            self._consumer = None
            self._uncommitted = False  # what it polled and did not commit is read again by the next client
        self._dead_letters.close()

    # -- processing ---------------------------------------------------------
    def process(self, messages: Sequence[ConsumerRecord]) -> None:
        """Applies a batch; unreadable messages and events the read model rejects go to the dead-letter topic."""
        readable: list[tuple[ConsumerRecord, Envelope]] = []
        unreadable: list[tuple[ConsumerRecord, str]] = []
        for message in messages:
            try:
                readable.append((message, envelope.read(message.value, self._registry)))
            except InvalidEvent as exc:
                unreadable.append((message, str(exc)))
            except Exception as exc:  # noqa: BLE001 - a message the reader chokes on must not block its partition
                unreadable.append((message, f"the event reader failed on it: {exc!r}"))
        if unreadable:
            self._dead_letters.park(unreadable)
        try:
            self._apply(readable)
        except Exception as exc:  # noqa: BLE001 - sorted below: transient errors propagate
            if transient(exc):
                raise
            log.warning("batch failed (%s); applying one by one to find the poison event", exc)
            for item in readable:
                try:
                    self._apply([item])
                except Exception as single:  # noqa: BLE001
                    if transient(single):
                        raise
                    self._dead_letters.park([(item[0], f"the read model refused the event: {single!r}")])

    def redrive(self, message: ConsumerRecord) -> bool:
        """Applies a parked message as if read now, through this consumer's claims: False if it was applied already.

        Raises InvalidEvent while it is still unreadable, and whatever the read model still refuses it with.
        """
        return self._apply([(message, envelope.read(message.value, self._registry))]) > 0

    def _apply(self, batch: Sequence[tuple[ConsumerRecord, Envelope]]) -> int:
        """Claims and applies the batch in one transaction; returns how many events were new to this consumer."""
        if not batch:
            return 0
        now = datetime.datetime.now(datetime.timezone.utc)
        with self._session_factory() as session:
            rows = {
                event.id: {
                    "consumer": self.name,
                    "event_id": event.id,
                    "topic": message.topic,
                    "partition": message.partition,
                    "offset": message.offset,
                    "processed_at": now,
                }
                for message, event in reversed(batch)  # reversed: a duplicate in the batch keeps its first offset
            }
            # Claimed in the transaction of the read-model change: a duplicate (or a racing twin) claims nothing.
            # In id order, as every lock a batch takes: two consumers claiming the same ids never deadlock.
            claims = [rows[event_id] for event_id in sorted(rows)]
            claimed = insert_new(session, processed_events, claims, ["consumer", "event_id"], "event_id")
            fresh, done, spans = [], [], {}
            for message, event in batch:
                if event.id not in claimed:
                    metrics.EVENTS_DUPLICATE.labels(self.name, message.topic).inc()
                    continue
                claimed.discard(event.id)
                fresh.append(event)
                done.append(rows[event.id])
                spans[event.id] = self._span(message, event, len(batch))
            try:
                with context.acting(f"consumer:{self.name}"), tracing.applying_batch(spans):
                    self._projector.apply_batch(session, fresh)
                session.commit()
            except Exception as exc:
                for span in spans.values():
                    span.record_exception(exc)
                    span.set_status(Status(StatusCode.ERROR, repr(exc)))
                    span.end()
                raise
        for span in spans.values():
            span.end()  # each event's span lasts its batch's transaction: they were applied and committed together
        for topic, count in collections.Counter(row["topic"] for row in done).items():
            metrics.EVENTS_CONSUMED.labels(self.name, topic).inc(count)
        if log.isEnabledFor(logging.DEBUG):
            for event in fresh:
                with context.acting(f"consumer:{self.name}", event.correlation_id), tracing.applying_batch(spans), \
                        tracing.applying(event.id):
                    log.debug("applied %s %s (%s #%s)", event.type, event.id, event.subject, event.sequence)
        return len(fresh)

    def _span(self, message: ConsumerRecord, event: Envelope, batch: int) -> Span:
        """The event's span in this consumer, continuing the trace its message's headers name."""
        # getattr: a re-driven or hand-made message may carry no headers at all.
        parent = tracing.from_headers(getattr(message, "headers", None))
        return tracing.start(f"{message.topic} process", parent, SpanKind.CONSUMER, {
            "messaging.system": "kafka", "messaging.destination.name": message.topic,
            "messaging.consumer.group.name": self.name, "messaging.kafka.offset": message.offset,
            "messaging.destination.partition.id": str(message.partition), "messaging.batch.message_count": batch,
            "cloudevents.event_id": event.id, "cloudevents.event_type": event.type,
        })

    def _report_lag(self) -> None:
        if time.monotonic() < self._next_lag or self._consumer is None:
            return
        self._next_lag = time.monotonic() + 5.0
        assignment = list(self._consumer.assignment())
        if not assignment:
            return
        ends = self._consumer.end_offsets(assignment)
        for tp in assignment:
            position = self._consumer.position(tp)
            if position is not None and tp in ends:
                metrics.CONSUMER_LAG.labels(self.name, tp.topic, tp.partition).set(max(0, ends[tp] - position))
