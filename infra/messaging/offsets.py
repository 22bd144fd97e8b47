"""Where each topic starts and ends on the broker, and how far each consumer group has read: lag and topic sizes."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Iterator

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from infra.config import Settings
from infra.messaging import kafka

TAIL_TIMEOUT_S = 30.0
"""How long reading to a partition's reported end may take."""
PAST_END_S = 3.0
"""How long a reader goes on past the reported ends while it still finds messages there."""


def partitions(reader: KafkaConsumer, topics: Iterable[str]) -> list[TopicPartition]:
    """Every partition of `topics` that exist on the broker, in order."""
    return [TopicPartition(t, p) for t in topics for p in sorted(reader.partitions_for_topic(t) or ())]


def read_on(reader: KafkaConsumer, assigned: list[TopicPartition], ends: dict[TopicPartition, int],
            timeout_s: float) -> Iterator[ConsumerRecord]:
    """Every message from the assigned partitions' positions on, to the broker's `ends` and past them until two polls
    in a row find nothing, or for at most PAST_END_S (a topic being written has no end to find).

    The end offsets a broker reports are not trusted: Tansu, standing in for Kafka, reports some partitions' ends short
    (the recovery saw a topic's last events beyond them), and a reader stopping there would miss its newest messages.
    """
    deadline = time.monotonic() + timeout_s
    past: float | None = None  # when reading past the reported ends stops at the latest
    empty = 0
    while True:
        batches = reader.poll(timeout_ms=500)
        for records in batches.values():
            yield from records
        if past is None and all(reader.position(tp) >= ends[tp] for tp in assigned):
            past = time.monotonic() + PAST_END_S
        empty = 0 if batches else empty + 1
        if past is not None and (empty >= 2 or time.monotonic() > past):
            return
        if past is None and time.monotonic() > deadline:
            raise TimeoutError(f"{sorted({tp.topic for tp in assigned})} not read to its end in {timeout_s:.0f} s")


@dataclasses.dataclass(frozen=True)
class PartitionLag:
    """A group's place in one partition: its committed offset (None: nothing committed yet), the end, the gap."""

    topic: str
    partition: int
    committed: int | None
    end: int
    lag: int


class Offsets:
    """A reader of the broker's offsets (no consumer group of its own); close it after."""

    def __init__(self, settings: Settings, client_id: str = "ochotnicy-offsets") -> None:
        self._admin = kafka.admin(settings, f"{client_id}-admin")
        self._reader = kafka.consumer(settings, None, client_id)

    def ends(self, assigned: list[TopicPartition]) -> dict[TopicPartition, int]:
        """Each partition's end: the broker's end offset, or one past the last message read beyond it (read_on)."""
        if not assigned:
            return {}
        ends = self._reader.end_offsets(assigned)
        self._reader.assign(assigned)
        for tp in assigned:
            self._reader.seek(tp, ends[tp])
        for record in read_on(self._reader, assigned, ends, TAIL_TIMEOUT_S):
            tp = TopicPartition(record.topic, record.partition)
            ends[tp] = max(ends[tp], record.offset + 1)
        return ends

    def sizes(self, topics: Iterable[str]) -> dict[str, int]:
        """How many messages each topic holds (0 for one that does not exist)."""
        found = dict.fromkeys(topics, 0)
        found_partitions = partitions(self._reader, found)
        starts, ends = self._reader.beginning_offsets(found_partitions), self.ends(found_partitions)
        for tp in found_partitions:
            found[tp.topic] += ends[tp] - starts[tp]
        return found

    def lag(self, group: str, topics: Iterable[str]) -> list[PartitionLag]:
        """The group's lag in each partition of `topics`; where it has committed nothing, all the partition holds."""
        assigned = partitions(self._reader, topics)
        stored = self._admin.list_group_offsets({group: assigned}).get(group, {}) if assigned else {}
        committed = {tp: meta.offset for tp, meta in stored.items() if meta.offset >= 0}
        starts, ends = self._reader.beginning_offsets(assigned), self.ends(assigned)
        return [
            PartitionLag(tp.topic, tp.partition, committed.get(tp), ends[tp], ends[tp] - committed.get(tp, starts[tp]))
            for tp in assigned
        ]

    def close(self) -> None:
        self._reader.close(autocommit=False)
        self._admin.close()

    def __enter__(self) -> Offsets:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
