"""Parking creates the dead-letter topic first: a production broker creates no topic by itself."""

from kafka.consumer.fetcher import ConsumerRecord

from infra.config import load
from infra.messaging import deadletter


class FakeProducer:
    def __init__(self, calls):
        self.calls = calls

    def send(self, topic, **_kwargs):
        self.calls.append(("send", topic))
        return type("Sent", (), {"get": lambda self, timeout=None: None})()

    def flush(self, timeout=None):
        pass


def message(topic: str, offset: int) -> ConsumerRecord:
    return ConsumerRecord(topic, 0, None, offset, 0, 0, b"k", b"{", [], None, 1, 1, -1)


def test_the_dead_letter_topics_exist_before_the_first_message_is_parked_and_are_made_once(monkeypatch):
    calls: list = []
    monkeypatch.setattr(deadletter.kafka, "producer", lambda settings, client_id: FakeProducer(calls))
    monkeypatch.setattr(deadletter.kafka, "ensure_topics", lambda settings, names, client_id: calls.append(("ensure", list(names))))
    letters = deadletter.DeadLetters(load("reporting"), "reporting")
    letters.park([(message("ochotnicy.applications", 1), "zły"), (message("ochotnicy.funding", 2), "zły")])
    letters.park([(message("ochotnicy.applications", 3), "zły")])
    assert calls[0] == ("ensure", ["ochotnicy.applications.dlq", "ochotnicy.funding.dlq"])
    assert [c for c in calls if c[0] == "ensure"] == [calls[0]]
    assert ("send", "ochotnicy.applications.dlq") in calls
