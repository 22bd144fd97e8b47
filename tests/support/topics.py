"""What a topic holds, read raw from the broker as its subscribers would."""

from __future__ import annotations

import orjson
from kafka import KafkaConsumer


def read_topic(bootstrap: str, topic: str) -> list[dict]:
    """Every event on `topic`, each CloudEvent document with its message key as `_key`."""
    reader = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                           consumer_timeout_ms=2000, group_id=None, enable_auto_commit=False)
    try:
        return [orjson.loads(m.value) | {"_key": m.key.decode()} for m in reader]
    finally:
        reader.close()
