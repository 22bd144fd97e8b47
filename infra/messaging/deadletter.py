"""Parking a message a consumer cannot apply on its topic's dead-letter topic, with the reason, so the partition moves on."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kafka import KafkaProducer
from kafka.consumer.fetcher import ConsumerRecord

from contracts.topics import dead_letter
from infra import metrics
from infra.config import Settings
from infra.messaging import kafka

log = logging.getLogger(__name__)


class DeadLetters:
    """A consumer's dead-letter producer, connected at the first message it parks."""

    def __init__(self, settings: Settings, consumer: str) -> None:
        self._settings = settings
        self._consumer = consumer
        self._producer: KafkaProducer | None = None
        self._ready: set[str] = set()

    def park(self, items: Sequence[tuple[ConsumerRecord, str]]) -> None:
        """Parks each (message, reason); returns once all are on the broker, raising if any is not."""
        if self._producer is None:
            self._producer = kafka.producer(self._settings, f"{self._consumer}-dlq")
        topics = {dead_letter(message.topic) for message, _ in items} - self._ready
        if topics:
            # Production brokers create no topic by themselves (Tansu does, which hid it): without this, parking waits forever.
            kafka.ensure_topics(self._settings, sorted(topics), f"{self._consumer}-dlq-admin")
            self._ready |= topics
        futures = []
        for message, reason in items:
            log.warning(
                "parked a message on the dead-letter topic",
                extra={"topic": message.topic, "partition": message.partition, "offset": message.offset, "reason": reason},
            )
            headers = [
                ("reason", reason.encode()[:4000]),
                ("consumer", self._consumer.encode()),
                ("original_topic", message.topic.encode()),
                ("original_partition", str(message.partition).encode()),
                ("original_offset", str(message.offset).encode()),
            ]
            futures.append(
                self._producer.send(dead_letter(message.topic), key=message.key, value=message.value or b"", headers=headers)
            )
            metrics.DEAD_LETTERED.labels(self._consumer, message.topic).inc()
        self._producer.flush(timeout=30)
        for future in futures:
            future.get(timeout=0)  # raises, so offsets are not committed past an unparked message

    def close(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=1)
            except Exception:  # noqa: BLE001 - a broken client must not stop the consumer's loop
                pass
            self._producer = None
