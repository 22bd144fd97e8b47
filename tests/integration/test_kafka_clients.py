"""Kafka clients that cannot reach the broker stop what they started: a retry loop during an outage leaks nothing."""

from __future__ import annotations

import threading

import pytest
from kafka.errors import KafkaError

from infra import config
from infra.messaging import kafka

NOWHERE = config.load("funding", {"OCHOTNICY_KAFKA_BOOTSTRAP": "127.0.0.1:1"})


@pytest.mark.parametrize("make", [
    lambda: kafka.admin(NOWHERE, "outage", bootstrap_timeout_ms=200),
    lambda: kafka.consumer(NOWHERE, "outage", "outage", bootstrap_timeout_ms=200),
], ids=["admin", "consumer"])
def test_a_client_that_cannot_reach_the_broker_leaves_no_thread_behind(make):
    before = {t.ident for t in threading.enumerate()}
    for _ in range(3):
        with pytest.raises(KafkaError):
            make()
    assert [t.name for t in threading.enumerate() if t.ident not in before] == []
