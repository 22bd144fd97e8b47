"""A broker that reports a partition's end short (Tansu does): sizes, lag and the parked messages still count all."""

from __future__ import annotations

import time

import pytest
from kafka import TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from infra import config
from infra.messaging import kafka, parked
from infra.messaging import offsets as offsets_module
from infra.messaging.offsets import Offsets

SETTINGS = config.load("cli", {"OCHOTNICY_ENV": "local"})
DLQ = "ochotnicy.applications.dlq"


class ShortBroker:
    """A reader of one topic whose partitions hold `held` messages, and whose reported end leaves the last `short` out."""

    def __init__(self, held: dict[int, int], short: int) -> None:
        self.held = {TopicPartition(DLQ, p): n for p, n in held.items()}
        self.short = short
        self.positions: dict[TopicPartition, int] = {}

    def partitions_for_topic(self, topic):
        return {tp.partition for tp in self.held} if topic == DLQ else None

    def beginning_offsets(self, assigned):
        return dict.fromkeys(assigned, 0)

    def end_offsets(self, assigned):
        return {tp: max(0, self.held[tp] - self.short) for tp in assigned}

    def assign(self, assigned):
        self.positions = dict.fromkeys(assigned, 0)

    def seek(self, tp, offset):
        self.positions[tp] = offset

    def seek_to_beginning(self, *assigned):
        self.positions |= dict.fromkeys(assigned, 0)

    def position(self, tp):
        return self.positions[tp]

    def poll(self, timeout_ms):
        """Two messages of each partition at a time, as a fetch hands out what it has."""
        found = {}
        for tp, at in self.positions.items():
            upto = min(at + 2, self.held[tp])
            if upto > at:
                found[tp] = [_record(tp, offset) for offset in range(at, upto)]
                self.positions[tp] = upto
        return found

    def close(self, autocommit=True): ...


class Admin:
    def list_group_offsets(self, wanted):
        return {group: {tp: type("Committed", (), {"offset": 1})() for tp in assigned} for group, assigned in wanted.items()}

    def close(self): ...


def _record(tp: TopicPartition, offset: int) -> ConsumerRecord:
    headers = [("consumer", b"funding-v2"), ("reason", b"zepsuta"), ("original_topic", b"ochotnicy.applications"),
               ("original_partition", b"0"), ("original_offset", str(offset).encode())]
    return ConsumerRecord(tp.topic, tp.partition, None, offset, 0, 0, None, b"{}", headers, None, 0, 2, -1)


@pytest.fixture
def broker(monkeypatch) -> ShortBroker:
    found = ShortBroker({0: 5, 1: 3}, short=2)
    monkeypatch.setattr(kafka, "consumer", lambda *args, **kwargs: found)
    monkeypatch.setattr(kafka, "admin", lambda *args, **kwargs: Admin())
    return found


def test_sizes_count_every_message_beyond_a_short_reported_end(broker):
    with Offsets(SETTINGS) as offsets:
        assert offsets.sizes([DLQ, "ochotnicy.none.dlq"]) == {DLQ: 8, "ochotnicy.none.dlq": 0}


def test_lag_runs_to_the_last_message_read_not_to_the_reported_end(broker):
    with Offsets(SETTINGS) as offsets:
        found = {row.partition: (row.end, row.lag) for row in offsets.lag("funding-v2", [DLQ])}
    assert found == {0: (5, 4), 1: (3, 2)}


def test_the_parked_messages_listed_are_all_those_beyond_the_reported_end_too(broker):
    found = parked.read(SETTINGS, [DLQ])
    assert [p.position for p in found] == ["0:0", "0:1", "0:2", "0:3", "0:4", "1:0", "1:1", "1:2"]
    assert {p.consumer for p in found} == {"funding-v2"}


def test_an_end_reported_right_reads_nothing_past_it(broker):
    broker.short = 0
    with Offsets(SETTINGS) as offsets:
        assert offsets.sizes([DLQ]) == {DLQ: 8}


class BusyBroker(ShortBroker):
    """A topic written all the time: every poll finds a message more on each partition."""

    def poll(self, timeout_ms):
        time.sleep(0.02)
        for tp in self.held:
            self.held[tp] += 1
        return super().poll(timeout_ms)


def test_a_topic_being_written_all_the_time_is_read_past_its_reported_end_for_a_few_seconds_only(monkeypatch):
    busy = BusyBroker({0: 5, 1: 3}, short=2)
    monkeypatch.setattr(kafka, "consumer", lambda *args, **kwargs: busy)
    monkeypatch.setattr(kafka, "admin", lambda *args, **kwargs: Admin())
    monkeypatch.setattr(offsets_module, "PAST_END_S", 0.3)
    started = time.monotonic()
    with Offsets(SETTINGS) as offsets:
        [size] = offsets.sizes([DLQ]).values()
    assert time.monotonic() - started < 2.0
    assert size >= 8  # what it held when asked, at least
