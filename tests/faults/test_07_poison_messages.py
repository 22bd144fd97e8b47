"""Scenario 7: malformed, unknown-type, wrong-schema and oversized messages on every topic, mid-load.

Each consumer of each topic parks every one of them on `<topic>.dlq` with a reason header, and goes on:
later events still apply (the checker's quiet period waits for every consumer to catch up with every
stored event), and nothing is lost.
"""

from __future__ import annotations

import collections
import datetime
import time
import uuid

import orjson
import pytest
from kafka import KafkaProducer

from contracts import topics
from contracts.topics import dead_letter
from tests.support.nothing_lost import check
from tests.support.settling import consumers
from tests.support.topics import reader_from_start

OVERSIZED = 900 * 1024


def cloudevent(type_: str, data: dict, *, pad: int = 0) -> bytes:
    """A well-formed CloudEvents document built by hand (contracts.envelope would refuse to write these)."""
    document = {
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": "/ochotnicy/applications", "type": type_,
        "subject": str(uuid.uuid4()), "time": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "datacontenttype": "application/json", "dataschema": f"urn:ochotnicy:event:{type_}:v1", "sequence": 1,
        "data": data | ({"padding": "x" * pad} if pad else {}),
    }
    return orjson.dumps(document)


def poison() -> dict[str, bytes]:
    return {
        "malformed": b'{"specversion": "1.0", "id": "' + uuid.uuid4().hex.encode() + b'", "type": ',
        "not-an-object": b"[1, 2, 3]",
        "unknown-type": cloudevent("VolunteerTeleported", {"volunteer_id": str(uuid.uuid4())}),
        "wrong-schema": cloudevent("InstitutionRegistered", {"institution_id": 42, "kind": "castle"}),
        "oversized": cloudevent("PartnershipProposed", {"partnership_id": str(uuid.uuid4())}, pad=OVERSIZED),
    }


def parked(bootstrap: str, expected: set[tuple[str, str, str]], timeout: float = 180.0) -> dict:
    """(dead-letter topic, consumer, key) → headers of the parked message, reading until all expected are seen."""
    found: dict[tuple[str, str, str], dict] = {}
    dlqs = sorted({t for t, _, _ in expected})
    reader = reader_from_start(bootstrap, dlqs)
    try:
        deadline = time.monotonic() + timeout
        while not expected <= found.keys() and time.monotonic() < deadline:
            for tp, records in reader.poll(timeout_ms=500).items():
                for record in records:
                    headers = {k: v.decode(errors="replace") for k, v in record.headers or []}
                    key = (tp.topic, headers.get("consumer"), (record.key or b"").decode())
                    found[key] = headers | {"size": len(record.value or b"")}
    finally:
        reader.close()
    return found


@pytest.mark.parametrize("rounds", [1, pytest.param(5, marks=[pytest.mark.faults, pytest.mark.timeout(900)])])
def test_unreadable_messages_on_every_topic_are_parked_with_a_reason_and_later_events_still_apply(harness, rounds):
    stack = harness.stack
    readers = collections.defaultdict(list)  # topic → consumer groups reading it
    for _, name, consumed in consumers(stack.services):
        for topic in consumed:
            readers[topic].append(name)
    expected: dict[tuple[str, str, str], str] = {}
    producer = KafkaProducer(bootstrap_servers=stack.bootstrap, max_request_size=2 * 1024 * 1024)
    sent = 0
    with harness.load() as load:
        for _ in range(rounds):
            load.wait_for(30)
            for topic in topics.ALL:
                for kind, value in poison().items():
                    key = f"poison-{uuid.uuid4().hex[:8]}-{kind}"
                    producer.send(topic, key=key.encode(), value=value).get(timeout=30)
                    sent += 1
                    for consumer in readers[topic]:
                        expected[(dead_letter(topic), consumer, key)] = kind
        load.wait_for(50)
    producer.close()
    assert not load.failures, load.failures[:5]
    check(stack, load.commands, scenario=f"{sent} poison messages on every topic", faults=sent)
    found = parked(stack.bootstrap, set(expected))
    assert set(expected) <= found.keys(), sorted(set(expected) - found.keys())[:10]
    for key, kind in expected.items():
        headers = found[key]
        assert headers["reason"] and headers["original_topic"] == key[0].removesuffix(".dlq"), (kind, headers)
        if kind == "oversized":
            assert headers["size"] > OVERSIZED
    reasons = {kind: found[key]["reason"] for key, kind in expected.items()}
    assert "not a CloudEvents JSON document" in reasons["malformed"]
    assert "unknown event VolunteerTeleported" in reasons["unknown-type"]
    assert "does not match" in reasons["wrong-schema"] and "does not match" in reasons["oversized"]
