"""Kafka clients configured alike for every service (kafka-python)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from infra.config import Settings

log = logging.getLogger(__name__)
BOOTSTRAP_TIMEOUT_MS = 5000


def producer(settings: Settings, client_id: str) -> KafkaProducer:
    """An idempotent producer that waits for every replica (acks=all)."""
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        batch_size=512 * 1024,
        max_block_ms=10_000,
        request_timeout_ms=10_000,
        delivery_timeout_ms=20_000,
        bootstrap_timeout_ms=BOOTSTRAP_TIMEOUT_MS,
        reconnect_backoff_max_ms=2_000,
    )


def consumer(settings: Settings, group_id: str | None, client_id: str, **overrides) -> KafkaConsumer:
    """A consumer that commits offsets only when told to."""
    config = dict(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        allow_auto_create_topics=False,
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=settings.consumer_heartbeat_ms,
        max_poll_interval_ms=120_000,
        max_poll_records=1000,
        fetch_max_wait_ms=100,
        request_timeout_ms=max(30_000, settings.consumer_session_timeout_ms + 5_000),
        bootstrap_timeout_ms=BOOTSTRAP_TIMEOUT_MS,
        reconnect_backoff_max_ms=2_000,
    )
    config.update(overrides)
    return _Consumer(**config)


def _stop_io(client: KafkaAdminClient | KafkaConsumer) -> None:
    """Stops the I/O thread of a client whose construction failed (what was not built yet needs no stopping)."""
    with contextlib.suppress(Exception):
        client._client.close()
    with contextlib.suppress(Exception):
        client._net.stop()


class _Admin(KafkaAdminClient):
    """kafka-python's admin client, stopping its I/O thread when it cannot reach the broker.

    The library's own (and its consumer) leave the thread running when the bootstrap times out: a relay, a consumer
    or a health check retrying while the broker is down would gain a thread at every attempt.
    """

    def __init__(self, **configs) -> None:
        try:
            super().__init__(**configs)
        except Exception:
            _stop_io(self)
            raise


class _Consumer(KafkaConsumer):
    """kafka-python's consumer, stopping its I/O thread when it cannot reach the broker (see _Admin)."""

    def __init__(self, *topics: str, **configs) -> None:
        try:
            super().__init__(*topics, **configs)
        except Exception:
            _stop_io(self)
            raise


def admin(settings: Settings, client_id: str, **overrides) -> KafkaAdminClient:
    config = dict(
        bootstrap_servers=settings.kafka_bootstrap,
        client_id=client_id,
        request_timeout_ms=10_000,
        bootstrap_timeout_ms=BOOTSTRAP_TIMEOUT_MS,
    )
    config.update(overrides)
    return _Admin(**config)


def ensure_topics(settings: Settings, names: Iterable[str], client_id: str) -> list[str]:
    """Creates the topics that do not exist yet, kept forever (no retention limit); returns those it created."""
    client = admin(settings, client_id)
    try:
        existing = set(client.list_topics())
        missing = [
            NewTopic(name, settings.topic_partitions, settings.topic_replication_factor, topic_configs={"retention.ms": "-1"})
            for name in names
            if name not in existing
        ]
        if missing:
            try:
                client.create_topics(missing)
                log.info("created topics", extra={"topics": [t.name for t in missing]})
            except TopicAlreadyExistsError:
                return []  # another process made them meanwhile
        return [t.name for t in missing]
    finally:
        client.close()
