"""What a rebuild reads: a service's event store in order, and topics partition by partition up to fixed ends."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from kafka import TopicPartition
from marshmallow import ValidationError
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from contracts import envelope
from contracts.envelope import Envelope, InvalidEvent
from contracts.registry import EventRegistry, UnknownEvent
from infra.config import Settings
from infra.eventstore.sql import SqlEventStore
from infra.messaging import kafka
from infra.messaging.offsets import partitions
from infra.uow import envelope_of

QUIET_S = 30.0
"""How long a partition may give nothing short of its end before the broker counts as gone."""
QUIET_POLLS = 3
"""Empty polls, once every partition has reached the end the broker reported, that end a reading."""


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


class TopicReader:
    """Reads `topics` from their start up to the ends found when it opened (what the rebuild stands for)."""

    def __init__(self, settings: Settings, topics: Sequence[str], registry: EventRegistry, client_id: str,
                 only: Sequence[TopicPartition] | None = None) -> None:
        self._registry = registry
        self._reader = kafka.consumer(settings, None, client_id, enable_incremental_fetch_sessions=False)
        self.partitions = partitions(self._reader, topics) if only is None else list(only)
        self.starts: Mapping[TopicPartition, int] = self._reader.beginning_offsets(self.partitions)
        self.ends: Mapping[TopicPartition, int] = self._reader.end_offsets(self.partitions)

    @property
    def size(self) -> int:
        return sum(self.ends[tp] - self.starts[tp] for tp in self.partitions)

    def __iter__(self) -> Iterator[Read]:
        """Every message, partition by partition in order, until each partition has reached its end and stays quiet.

        The ends are then where the reading stopped. The broker's own report of an end is only a floor: Tansu's
        lags behind the last batch written (the start of that batch), so it cannot be where a rebuild stops.
        """
        self._reader.assign(self.partitions)
        self._reader.seek_to_beginning(*self.partitions)
        floors, quiet, heard = dict(self.ends), 0, time.monotonic()
        while quiet < QUIET_POLLS:
            batches = self._reader.poll(timeout_ms=200, max_records=5000)
            for records in batches.values():
                for message in records:
                    yield self._read(message)
            if batches:
                heard, quiet = time.monotonic(), 0
            elif all(self._reader.position(tp) >= floors[tp] for tp in self.partitions):
                quiet += 1
            elif time.monotonic() - heard > QUIET_S:
                raise TimeoutError(f"the broker gave nothing for {QUIET_S:.0f} s before the ends of the partitions")
        self.ends = {tp: self._reader.position(tp) for tp in self.partitions}

    def _read(self, message) -> Read:
        try:
            event = envelope.read(message.value, self._registry)
        except InvalidEvent as exc:
            return Read(message.topic, message.partition, message.offset, None, str(exc))
        except Exception as exc:  # noqa: BLE001 - as the live consumer: a message the reader chokes on is parked, not fatal
            return Read(message.topic, message.partition, message.offset, None, f"the event reader failed on it: {exc!r}")
        return Read(message.topic, message.partition, message.offset, event)

    def close(self) -> None:
        self._reader.close(autocommit=False)

    def __enter__(self) -> TopicReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
