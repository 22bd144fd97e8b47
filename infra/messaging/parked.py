"""Messages parked on the dead-letter topics (see infra.messaging.deadletter), read back as operators need them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import orjson
from kafka.consumer.fetcher import ConsumerRecord

from infra.config import Settings
from infra.messaging import kafka
from infra.messaging.offsets import partitions, read_on

READ_TIMEOUT_S = 30.0


@dataclasses.dataclass(frozen=True)
class Parked:
    """One parked message: where it lies on the dead-letter topic, which consumer parked it, why, and where it came from."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    consumer: str
    reason: str
    original_topic: str
    original_partition: int
    original_offset: int
    key: bytes | None
    value: bytes

    @property
    def position(self) -> str:
        """How an operator names it: `<partition>:<offset>` on its dead-letter topic."""
        return f"{self.partition}:{self.offset}"

    @property
    def event_id(self) -> str | None:
        """The CloudEvent's id, when the message is a JSON object that has one."""
        try:
            document = orjson.loads(self.value)
        except orjson.JSONDecodeError:
            return None
        found = document.get("id") if isinstance(document, dict) else None
        return found if isinstance(found, str) else None

    def as_read(self) -> ConsumerRecord:
        """The message as its consumer first read it (its original topic, partition and offset)."""
        return ConsumerRecord(self.original_topic, self.original_partition, None, self.original_offset, self.timestamp_ms, 0,
                              self.key, self.value, [], None, len(self.key or b""), len(self.value), -1)


def _parked(record: ConsumerRecord) -> Parked:
    headers = {name: value.decode(errors="replace") for name, value in record.headers or []}
    return Parked(
        topic=record.topic, partition=record.partition, offset=record.offset, timestamp_ms=record.timestamp,
        consumer=headers.get("consumer", ""), reason=headers.get("reason", ""),
        original_topic=headers.get("original_topic", ""),
        original_partition=int(headers.get("original_partition", "-1")),
        original_offset=int(headers.get("original_offset", "-1")),
        key=record.key, value=record.value or b"",
    )


def read(settings: Settings, topics: Iterable[str], client_id: str = "ochotnicy-dlq") -> list[Parked]:
    """Everything parked on `topics` now, oldest first per partition (read without a consumer group)."""
    reader = kafka.consumer(settings, None, client_id, max_partition_fetch_bytes=4 * 1024 * 1024)
    try:
        assigned = partitions(reader, topics)
        if not assigned:
            return []
        ends = reader.end_offsets(assigned)
        reader.assign(assigned)
        reader.seek_to_beginning(*assigned)
        found = [_parked(record) for record in read_on(reader, assigned, ends, READ_TIMEOUT_S)]
        return sorted(found, key=lambda p: (p.topic, p.partition, p.offset))
    finally:
        reader.close(autocommit=False)

