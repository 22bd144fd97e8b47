"""Where a rebuild's topic reader stops: past the broker's reported ends at once, at them only after quiet polls."""

from __future__ import annotations

import dataclasses

import pytest
from kafka import TopicPartition

from contracts.registry import PUBLIC
from infra import config
from infra.rebuild import sources

TP = TopicPartition("ochotnicy.applications", 0)


@dataclasses.dataclass
class _Message:
    at: int

    def error(self):
        return None

    def value(self) -> bytes:
        return b"event %d" % self.at

    def topic(self) -> str:
        return TP.topic

    def partition(self) -> int:
        return TP.partition

    def offset(self) -> int:
        return self.at


class _Consumer:
    """librdkafka's consumer over one partition of `held` messages, handing them out in `polls`; records each wait."""

    reported = 0
    held = 0
    polls: list[int] = []

    def __init__(self, *_args, **_kwargs) -> None:
        self.waits: list[float] = []
        self.position_at = 0
        self.batches = list(self.polls)
        _Consumer.opened = self

    def get_watermark_offsets(self, *_args, **_kwargs) -> tuple[int, int]:
        return 0, self.reported

    def assign(self, partitions) -> None:
        self.position_at = partitions[0].offset

    def consume(self, limit: int, wait: float) -> list[_Message]:
        self.waits.append(wait)
        count = min(self.batches.pop(0) if self.batches else 0, self.held - self.position_at)
        given = [_Message(at) for at in range(self.position_at, self.position_at + count)]
        self.position_at += count
        return given

    def position(self, partitions):
        return [_At(self.position_at) for _ in partitions]

    def close(self) -> None:
        pass


@dataclasses.dataclass
class _At:
    offset: int


@pytest.fixture
def reader(monkeypatch):
    monkeypatch.setattr(sources.rdkafka, "Consumer", _Consumer)
    monkeypatch.setattr(sources.envelope, "read", lambda value, _registry: value)

    def opened(reported: int, held: int, polls: list[int]) -> tuple[sources.TopicReader, _Consumer]:
        monkeypatch.setattr(_Consumer, "reported", reported)
        monkeypatch.setattr(_Consumer, "held", held)
        monkeypatch.setattr(_Consumer, "polls", polls)
        topics = sources.TopicReader(config.load("cli"), [TP.topic], PUBLIC, "test", only=[TP])
        return topics, _Consumer.opened

    return opened


def test_a_partition_read_past_the_end_its_broker_reported_ends_after_one_poll_that_waits_for_nothing(reader):
    # Tansu reports the start of its last batch (5); the batch itself (5..7) comes whole.
    topics, consumer = reader(reported=5, held=8, polls=[5, 3])

    assert [read.offset for read in topics] == list(range(8))
    assert topics.ends == {TP: 8}
    assert consumer.waits == [sources.POLL_S, sources.POLL_S, 0]


def test_a_partition_read_up_to_the_end_reported_and_no_further_ends_after_the_quiet_polls(reader):
    # A broker whose reported end is exact (Apache Kafka): nothing lies past it, but only quiet says so.
    topics, consumer = reader(reported=8, held=8, polls=[5, 3])

    assert [read.offset for read in topics] == list(range(8))
    assert topics.ends == {TP: 8}
    assert consumer.waits == [sources.POLL_S] * (2 + sources.QUIET_POLLS)


def test_what_comes_while_the_reader_waits_for_nothing_is_read_before_it_ends(reader):
    topics, consumer = reader(reported=5, held=12, polls=[6, 2, 4])

    assert [read.offset for read in topics] == list(range(12))
    assert consumer.waits == [sources.POLL_S, 0, 0, 0]
