"""What a service's own topic holds: its events as they were published, each with the chain sequence it was sealed under."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import orjson
from kafka.consumer.fetcher import ConsumerRecord

from contracts import envelope
from contracts.envelope import Envelope, InvalidEvent
from contracts.registry import EventRegistry
from infra.config import Settings
from infra.messaging import kafka
from infra.messaging.offsets import partitions
from infra.recovery import headers

TAIL = 50
"""Messages read from the end of each partition to find the topic's newest chain sequence (the relay publishes in chain
order; a re-sent batch can put a few older ones last)."""


@dataclasses.dataclass(frozen=True)
class Published:
    """One event of the service as its topic holds it."""

    envelope: Envelope
    data: dict[str, Any]
    """The event's data exactly as stored (the envelope's is decoded)."""
    payload: bytes
    chain_seq: int
    aggregate_type: str | None
    topic: str
    partition: int
    offset: int

    @property
    def place(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"


@dataclasses.dataclass
class Log:
    """The store's events on its topic beyond a chain sequence, once each (the first copy), in chain order."""

    events: list[Published] = dataclasses.field(default_factory=list)
    unreadable: list[str] = dataclasses.field(default_factory=list)
    """Messages of the topic that are not readable events of this service (place and reason)."""
    head: int = 0
    """The newest chain sequence of the store on the topic."""


def read(settings: Settings, topic: str, log_id: str, registry: EventRegistry, after: int) -> Log:
    """Every event of the store `log_id` on `topic` sealed beyond `after`, read from the start of the topic."""
    found, seen = Log(), set()
    for message in _messages(settings, topic, tail=None):
        link = headers.link(message.headers)
        if link is None or link.log_id != log_id:
            continue  # another store's (tests share topics), or not the relay's at all
        found.head = max(found.head, link.seq)
        if link.seq <= after:
            continue
        try:
            event = envelope.read(message.value, registry)
        except InvalidEvent as exc:
            found.unreadable.append(f"{message.topic}:{message.partition}:{message.offset}: {exc}")
            continue
        if event.id in seen:
            continue  # a copy the relay re-sent
        seen.add(event.id)
        found.events.append(Published(
            event, orjson.loads(message.value)["data"], message.value, link.seq, headers.get(message.headers, headers.AGGREGATE_TYPE),
            message.topic, message.partition, message.offset,
        ))
    found.events.sort(key=lambda p: p.chain_seq)
    return found


def head(settings: Settings, topic: str, log_id: str) -> int:
    """The newest chain sequence of the store `log_id` on the topic (0 when it holds none), from each partition's end."""
    links = (headers.link(m.headers) for m in _messages(settings, topic, tail=TAIL))
    return max((link.seq for link in links if link is not None and link.log_id == log_id), default=0)


def _messages(settings: Settings, topic: str, tail: int | None, timeout_s: float = 60.0) -> Iterator[ConsumerRecord]:
    """The topic's messages (the last `tail` of each partition, or all), until a poll past each partition's end finds
    nothing more: Tansu, standing in for Kafka in tests, reports some partitions' ends short."""
    reader = kafka.consumer(settings, None, f"{settings.service}-recovery", max_poll_records=5000)
    try:
        found = partitions(reader, [topic])
        if not found:
            return
        reader.assign(found)
        starts, ends = reader.beginning_offsets(found), reader.end_offsets(found)
        for tp in found:
            reader.seek(tp, starts[tp] if tail is None else max(starts[tp], ends[tp] - tail))
        deadline = time.monotonic() + timeout_s
        while True:
            batches = reader.poll(timeout_ms=500)
            for records in batches.values():
                deadline = time.monotonic() + timeout_s  # a long topic takes long: only a stall fails
                yield from records
            if not batches and all(reader.position(tp) >= ends[tp] for tp in found):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic}: nothing more read for {timeout_s:.0f} s before its end")
    finally:
        reader.close(autocommit=False)
