"""A message that makes the event reader itself fail is parked, never retried forever (a poison pill)."""

from __future__ import annotations

from kafka.consumer.fetcher import ConsumerRecord

from contracts import PUBLIC, envelope
from infra import config
from infra.messaging.consumer import Consumer
from infra.projection import Projector


def record(value: bytes) -> ConsumerRecord:
    return ConsumerRecord(topic="ochotnicy.applications", partition=0, leader_epoch=0, offset=7, timestamp=0,
                          timestamp_type=0, key=b"k", value=value, headers=[], checksum=None, serialized_key_size=1,
                          serialized_value_size=len(value), serialized_header_size=-1)


def consumer(monkeypatch) -> tuple[Consumer, list]:
    settings = config.load("funding", {"OCHOTNICY_ENV": "local"})
    subject = Consumer(settings, None, name="t", topics=["ochotnicy.applications"], projector=Projector("t"),
                       registry=PUBLIC)
    parked: list = []
    monkeypatch.setattr(subject._dead_letters, "park", lambda items: parked.extend(items))
    return subject, parked


def test_valid_json_that_is_not_an_object_is_parked_with_the_reason(monkeypatch):
    subject, parked = consumer(monkeypatch)
    subject.process([record(b"[1, 2, 3]"), record(b"42")])
    assert [reason for _, reason in parked] == ["not a CloudEvents JSON document: a JSON list, not an object",
                                                "not a CloudEvents JSON document: a JSON int, not an object"]


def test_any_failure_of_the_reader_parks_the_message_instead_of_crashing_the_loop(monkeypatch):
    subject, parked = consumer(monkeypatch)

    def choke(raw, registry):
        raise RecursionError("too deep")

    monkeypatch.setattr(envelope, "read", choke)
    subject.process([record(b'{"a": 1}')])
    [(message, reason)] = parked
    assert message.offset == 7 and "RecursionError('too deep')" in reason
