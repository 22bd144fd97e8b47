"""What a rebuild reads: a service's event store in order, and topics partition by partition up to fixed ends."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

import confluent_kafka as rdkafka
from kafka import TopicPartition
from kafka.errors import KafkaConnectionError, KafkaError
from marshmallow import ValidationError
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from contracts import envelope
from contracts.envelope import Envelope, InvalidEvent
from contracts.registry import EventRegistry, UnknownEvent
from infra.config import Settings
from infra.eventstore.sql import SqlEventStore
from infra.messaging import kafka
from infra.uow import envelope_of

QUIET_S = 30.0
"""How long a partition may give nothing short of its end before the broker counts as gone."""
QUIET_POLLS = 3
"""Empty polls, once every partition has reached the end the broker reported, that end a reading."""
POLL_S = 0.2
POLL_MESSAGES = 5000
OFFSETS_TIMEOUT_S = kafka.BOOTSTRAP_TIMEOUT_MS / 1000
log = logging.getLogger(__name__)


def _config(settings: Settings, client_id: str) -> dict:
    """librdkafka's settings for a reader that only reads assigned partitions: no group joined, nothing committed."""
    return {
        "bootstrap.servers": settings.kafka_bootstrap,
        "client.id": client_id,
        "group.id": f"{client_id}-unjoined",  # librdkafka wants one; assign() neither joins it nor commits to it
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "enable.partition.eof": False,
        "allow.auto.create.topics": False,
        # What is fetched ahead is bounded per partition (librdkafka's defaults allow 64 MB each): a reading process
        # holds a few partitions' 8 MB beside its chunks.
        "queued.max.messages.kbytes": 8192,
        "queued.min.messages": 20_000,
        # A broker that is away is tried again after 100 ms, then less and less often, up to every 2 s. Not the services'
        # 500: librdkafka holds a first request back for up to half of it (0.25 s that every rebuild's planning and each
        # of its reading processes waited, one after the other, before the first message).
        "reconnect.backoff.ms": 100,
        "reconnect.backoff.max.ms": 2_000,
    }


class Read(NamedTuple):
    """One message of a topic: where it lies and the event it holds (None: unreadable, `why` says so)."""

    topic: str
    partition: int
    offset: int
    event: Envelope | None
    why: str = ""


def stored(spec_name: str, registry: EventRegistry, live: Engine | Connection, after: int = 0, chunk: int = 5000
           ) -> Iterator[tuple[int, Envelope | None, str]]:
    """The service's own events in store order: (position, event or None, why it is unreadable)."""
    with Session(live) as reader:
        store = SqlEventStore(reader, spec_name)
        while batch := store.read_all(after=after, limit=chunk):
            for record in batch:
                try:
                    data = registry.decode(record.type, record.schema_version, record.data)
                except (ValidationError, UnknownEvent) as exc:
                    yield record.position, None, (f"zdarzenie {record.event_id} ({record.type}, pozycja {record.position}) "
                                                  f"nie daje się odczytać według jego schematu, więc je pominięto: {_why(exc)}")
                    continue
                yield record.position, envelope_of(spec_name, record, data), ""
            after = batch[-1].position
            reader.commit()  # a long read holds no snapshot between chunks


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{field}: {' '.join(map(str, problems)) if isinstance(problems, list) else problems}"
                         for field, problems in exc.normalized_messages().items())
    return str(exc)


def _as_kafka_python(error: rdkafka.KafkaError) -> KafkaError:
    """librdkafka's error as kafka-python's, which the rebuild's callers catch (a broker away: KafkaConnectionError)."""
    away = error.code() in (rdkafka.KafkaError._TRANSPORT, rdkafka.KafkaError._TIMED_OUT, rdkafka.KafkaError._ALL_BROKERS_DOWN)
    return (KafkaConnectionError if away else KafkaError)(f"librdkafka: {error.str()}")


class TopicReader:
    """Reads `topics` from their start up to the ends found when it opened (what the rebuild stands for).

    Through librdkafka (confluent-kafka), not the services' kafka-python: it reads nothing but whole partitions in
    order, and the records come out of C at a quarter of kafka-python's CPU per message, the part of the rebuild that
    no parallelism on two cores hides. Partitions are named as everywhere else (kafka-python's TopicPartition).
    """

    def __init__(self, settings: Settings, topics: Sequence[str], registry: EventRegistry, client_id: str,
                 only: Sequence[TopicPartition] | None = None) -> None:
        self._registry = registry
        self._reader = rdkafka.Consumer(_config(settings, client_id), logger=log)
        try:
            self.partitions = self._partitions(topics) if only is None else list(only)
            marks = {tp: self._reader.get_watermark_offsets(rdkafka.TopicPartition(*tp), timeout=OFFSETS_TIMEOUT_S, cached=False)
                     for tp in self.partitions}
        except rdkafka.KafkaException as exc:
            self._reader.close()
            raise _as_kafka_python(exc.args[0]) from exc
        except Exception:
            self._reader.close()
            raise
        self.starts: Mapping[TopicPartition, int] = {tp: low for tp, (low, _high) in marks.items()}
        self.ends: Mapping[TopicPartition, int] = {tp: high for tp, (_low, high) in marks.items()}

    def _partitions(self, topics: Sequence[str]) -> list[TopicPartition]:
        """Every partition of `topics` that exist on the broker, in order (as infra.messaging.offsets.partitions)."""
        found = []
        for topic in topics:
            meta = self._reader.list_topics(topic, timeout=OFFSETS_TIMEOUT_S).topics.get(topic)
            if meta is not None and meta.error is None:
                found += [TopicPartition(topic, p) for p in sorted(meta.partitions)]
        return found

    @property
    def size(self) -> int:
        return sum(self.ends[tp] - self.starts[tp] for tp in self.partitions)

    def __iter__(self) -> Iterator[Read]:
        """Every message, partition by partition in order, until each partition has reached its end and stays quiet, or
        has been read past it.

        The ends are then where the reading stopped. The broker's own report of an end is only a floor: Tansu's
        lags behind the last batch written (the start of that batch), so it cannot be where a rebuild stops. A
        partition read past its floor needs no quiet: its last batch came whole in one fetch, so what is left of it is
        already here and the next poll, which waits for nothing, gives it. Where every partition is so, the reading
        ends without the quiet polls (on Tansu, 0.6 s at the end of every rebuild).
        """
        self._reader.assign([rdkafka.TopicPartition(tp.topic, tp.partition, self.starts[tp]) for tp in self.partitions])
        floors, quiet, heard, wait = dict(self.ends), 0, time.monotonic(), POLL_S
        read, registry = envelope.read, self._registry
        while quiet < QUIET_POLLS:
            messages = self._reader.consume(POLL_MESSAGES, wait)
            for message in messages:
                if (error := message.error()) is not None:
                    raise _as_kafka_python(error)
                try:
                    event = read(message.value(), registry)
                except Exception as exc:  # noqa: BLE001 - as the live consumer: a message the reader chokes on is parked, not fatal
                    yield self._refused(message, exc)
                    continue
                # A message consumed without error always has its place (the stubs allow None for others).
                yield Read(message.topic(), message.partition(), message.offset(), event)  # type: ignore[arg-type]
            positions = self._positions()
            if all(position > floors[tp] for tp, position in positions.items()):
                if not messages and wait == 0:
                    break
                wait = 0  # once more, for what is left of the last batches, waiting for nothing
            elif messages:
                heard, quiet = time.monotonic(), 0
            elif all(position >= floors[tp] for tp, position in positions.items()):
                quiet += 1
            elif time.monotonic() - heard > QUIET_S:
                raise TimeoutError(f"the broker gave nothing for {QUIET_S:.0f} s before the ends of the partitions")
        self.ends = self._positions()

    def _positions(self) -> dict[TopicPartition, int]:
        """The offset after the last message read of each partition (its start while none was)."""
        found = self._reader.position([rdkafka.TopicPartition(*tp) for tp in self.partitions])
        return {tp: at.offset if at.offset >= 0 else self.starts[tp] for tp, at in zip(self.partitions, found, strict=True)}

    @staticmethod
    def _refused(message: rdkafka.Message, exc: Exception) -> Read:
        why = str(exc) if isinstance(exc, InvalidEvent) else f"the event reader failed on it: {exc!r}"
        return Read(message.topic(), message.partition(), message.offset(), None, why)  # type: ignore[arg-type]

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> TopicReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
