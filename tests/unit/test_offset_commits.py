"""Consumers commit offsets only of applied batches, at most every `offset_commit_s`, and all of them on a clean stop."""

from __future__ import annotations

import threading

import pytest

from contracts import PUBLIC
from infra import config
from infra.messaging import consumer as consumer_module
from infra.messaging.consumer import Consumer
from infra.projection import Projector

SETTINGS = config.load("reporting", {"OCHOTNICY_ENV": "local", "OCHOTNICY_OFFSET_COMMIT_S": "2.5"})


class FakeKafka:
    """Polls hand out `batches` in turn (sizes), stopping the loop with the last; commits are recorded (kind, clock)."""

    def __init__(self, batches, stop: threading.Event, clock: list[float]) -> None:
        self._batches = list(batches)
        self._stop = stop
        self._clock = clock
        self.commits: list[tuple[str, float]] = []

    def subscribe(self, topics): ...
    def assignment(self): return {"tp"}
    def end_offsets(self, partitions): return {}
    def position(self, partition): return None
    def close(self, autocommit): assert autocommit is False

    def poll(self, timeout_ms):
        self._clock[0] += 1.0  # every poll takes a second of the fake clock
        size = self._batches.pop(0)
        if not self._batches:
            self._stop.set()
        return {"tp": [object()] * size}

    def commit_async(self, callback):
        self.commits.append(("async", self._clock[0]))

    def commit(self, timeout_ms=None):
        self.commits.append(("sync", self._clock[0]))


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    now = [100.0]
    monkeypatch.setattr(consumer_module.time, "monotonic", lambda: now[0])
    return now


def test_the_setting_is_read_from_the_environment_with_a_default_of_a_second():
    assert SETTINGS.offset_commit_s == 2.5
    assert config.load("reporting", {}).offset_commit_s == 1.0


def make(monkeypatch, clock, batches) -> tuple[Consumer, FakeKafka, threading.Event]:
    stop = threading.Event()
    monkeypatch.setattr(stop, "wait", lambda timeout=None: stop.is_set())
    fake = FakeKafka(batches, stop, clock)
    monkeypatch.setattr(consumer_module.kafka, "consumer", lambda *a, **k: fake)
    subject = Consumer(SETTINGS, None, name="t", topics=["t"], projector=Projector("t"), registry=PUBLIC)
    return subject, fake, stop


def test_applied_batches_are_committed_at_most_every_interval_and_the_rest_on_a_clean_stop(monkeypatch, clock):
    subject, fake, stop = make(monkeypatch, clock, [3, 2, 4, 0, 5, 1])
    applied: list[int] = []
    monkeypatch.setattr(subject, "process", lambda messages: applied.append(len(messages)))
    subject.run(stop)
    assert applied == [3, 2, 4, 5, 1]
    # Polls at 101…106: the first batch is committed at once, the next commit is due 2.5 s later (made at
    # 104, after the empty poll), the one after at 106.5; the clean stop at 106 commits what was applied since.
    assert fake.commits == [("async", 101.0), ("async", 104.0), ("sync", 106.0)]


def test_a_quiet_consumer_commits_nothing(monkeypatch, clock):
    subject, fake, stop = make(monkeypatch, clock, [0, 0, 0])
    subject.run(stop)
    assert fake.commits == []


def test_a_batch_that_failed_is_never_committed_not_even_on_stop(monkeypatch, clock):
    subject, fake, stop = make(monkeypatch, clock, [3, 4, 2])
    applied: list[int] = []

    def process(messages):
        if len(messages) == 2:
            stop.set()  # the loop ends after this failure, as on a shutdown during an outage
            raise consumer_module.KafkaError("the broker went away mid-batch")
        applied.append(len(messages))

    monkeypatch.setattr(subject, "process", process)
    subject.run(stop)
    # The batch of 3 was committed when applied, the 4 was not yet due, and the positions polled past the
    # failed batch of 2 (which include the 4's) are never committed: the next owner reads the 4 again.
    assert applied == [3, 4] and fake.commits == [("async", 101.0)]


class JoiningKafka(FakeKafka):
    """A member stopped before the group gave it partitions: it gets them on the `joined_after`-th poll (never: None)."""

    def __init__(self, stop: threading.Event, clock: list[float], joined_after: int | None) -> None:
        super().__init__([0], stop, clock)
        self.joined_after = joined_after
        self.polls = 0
        self.closed_at: tuple[int, float] | None = None

    def assignment(self):
        return {"tp"} if self.joined_after is not None and self.polls >= self.joined_after else set()

    def poll(self, timeout_ms):
        self.polls += 1
        self._clock[0] += 1.0
        if self._batches:
            self._batches.pop(0)
            self._stop.set()  # stopped right after its first poll, still joining
        return {"tp": [object()] * 3} if self.assignment() else {}

    def close(self, autocommit):
        self.closed_at = (self.polls, self._clock[0])


class SettledCoordinator:
    """kafka-python's coordinator of a member whose group settled (with no partitions for it, here)."""

    def generation_if_stable(self):
        return object()


@pytest.mark.parametrize("joined_after", [4, None])
def test_a_member_stopped_while_joining_leaves_only_once_it_has_its_partitions_or_after_the_bound(monkeypatch, clock,
                                                                                                     joined_after):
    stop = threading.Event()
    monkeypatch.setattr(stop, "wait", lambda timeout=None: stop.is_set())
    fake = JoiningKafka(stop, clock, joined_after)
    monkeypatch.setattr(consumer_module.kafka, "consumer", lambda *a, **k: fake)
    subject = Consumer(SETTINGS, None, name="t", topics=["t"], projector=Projector("t"), registry=PUBLIC)
    applied: list[int] = []
    monkeypatch.setattr(subject, "process", lambda messages: applied.append(len(messages)))
    subject.run(stop)
    if joined_after is not None:
        assert fake.closed_at == (joined_after, 100.0 + joined_after)  # it left on the poll that gave it partitions
    else:
        assert fake.closed_at[1] >= 101.0 + consumer_module.JOIN_BEFORE_LEAVING_S  # it gave up after the bound
    assert applied == [] and fake.commits == []  # what it polled on the way out is the next owner's to apply


def test_a_member_stopped_in_a_settled_group_that_gave_it_no_partitions_leaves_at_once(monkeypatch, clock):
    # More members than partitions: waiting for partitions would only delay the stop by the whole bound.
    stop = threading.Event()
    monkeypatch.setattr(stop, "wait", lambda timeout=None: stop.is_set())
    fake = JoiningKafka(stop, clock, joined_after=None)
    fake._coordinator = SettledCoordinator()
    monkeypatch.setattr(consumer_module.kafka, "consumer", lambda *a, **k: fake)
    subject = Consumer(SETTINGS, None, name="t", topics=["t"], projector=Projector("t"), registry=PUBLIC)
    subject.run(stop)
    assert fake.closed_at == (1, 101.0)
