"""After a small batch, relays and consumers wait `batch_linger_s` so that under load the next batch is larger."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine

from contracts import PUBLIC
from infra import config
from infra.messaging import consumer as consumer_module
from infra.messaging.consumer import SMALL_BATCH, Consumer
from infra.messaging.relay import Relay
from infra.projection import Projector

SETTINGS = config.load("applications", {"OCHOTNICY_ENV": "local", "OCHOTNICY_BATCH_LINGER_S": "0.25"})


class CountingStop(threading.Event):
    """A stop event that records every wait and stops the loop after `rounds` of them."""

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.waits: list[float] = []
        self._rounds = rounds

    def wait(self, timeout=None) -> bool:
        self.waits.append(timeout)
        if len(self.waits) >= self._rounds:
            self.set()
        return self.is_set()


def test_the_setting_is_read_from_the_environment_with_a_short_default():
    assert SETTINGS.batch_linger_s == 0.25
    assert 0 < config.load("applications", {}).batch_linger_s <= 0.05


def test_a_consumer_lingers_after_a_small_batch_and_never_after_a_full_one_or_an_empty_poll(monkeypatch):
    sizes = iter([3, SMALL_BATCH, 0, 1])
    stop = CountingStop(rounds=99)

    class FakeKafka:
        def subscribe(self, topics): ...
        def commit_async(self, callback): ...
        def commit(self, timeout_ms): ...
        def assignment(self): return set()
        def close(self, autocommit): ...

        def poll(self, timeout_ms):
            size = next(sizes, None)
            if size is None:
                stop.set()
            return {"tp": [object()] * (size or 0)}

    monkeypatch.setattr(consumer_module.kafka, "consumer", lambda *a, **k: FakeKafka())
    subject = Consumer(SETTINGS, None, name="t", topics=["t"], projector=Projector("t"), registry=PUBLIC)
    monkeypatch.setattr(subject, "process", lambda messages: None)
    subject.run(stop)
    # After the 3 and after the 1; the full batch and the empty poll went straight on. Then the loop's own 0.5 s.
    assert stop.waits == [0.25, 0.25, 0.5]


def test_a_relay_lingers_after_a_partial_batch_and_waits_for_the_bell_when_idle(monkeypatch):
    relay = Relay(SETTINGS, create_engine("sqlite://"), batch_size=100)
    published = iter([7, 100, 0])
    rang: list[str] = []
    monkeypatch.setattr(relay, "seal_once", lambda: 0)
    monkeypatch.setattr(relay, "check_store", lambda: setattr(relay, "_log_id", "a store not behind its topic"))
    monkeypatch.setattr(relay, "_connect", lambda: None)
    monkeypatch.setattr(relay, "heal", lambda: False)
    monkeypatch.setattr(relay, "publish_once", lambda: next(published, 0))
    stop = CountingStop(rounds=2)
    monkeypatch.setattr(relay._bell, "wait", lambda s: (rang.append("bell"), s.wait(None)))
    relay.run(stop)
    assert stop.waits == [0.25, None] and rang == ["bell"]  # 7: linger; 100 (full): at once; 0: the bell
