"""What a topic holds, read raw from the broker as its subscribers would."""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from kafka import KafkaConsumer, TopicPartition


def reader_from_start(bootstrap: str, topics: Iterable[str]) -> KafkaConsumer:
    """A reader of every partition of `topics`, from their first message, in no consumer group (close it after)."""
    reader = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                           auto_offset_reset="earliest", max_partition_fetch_bytes=4 * 1024 * 1024)
    partitions = [TopicPartition(t, p) for t in topics for p in (reader.partitions_for_topic(t) or ())]
    reader.assign(partitions)
    reader.seek_to_beginning(*partitions)
    return reader


def read_topic(bootstrap: str, topic: str) -> list[dict]:
    """Every event on `topic`, each CloudEvent document with its message key as `_key`."""
    reader = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                           consumer_timeout_ms=2000, group_id=None, enable_auto_commit=False)
    try:
        return [orjson.loads(m.value) | {"_key": m.key.decode()} for m in reader]
    finally:
        reader.close()
