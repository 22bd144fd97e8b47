"""The rebuild's reading of events: the plain path through envelope.read gives what the checked one gives, so the
rebuild and the live consumer refuse the same messages for the same reasons."""

from __future__ import annotations

import random

import orjson
import pytest

from contracts import PUBLIC, envelope
from contracts.envelope import InvalidEvent
from ochotnicy.bench import log

ODD = ["", None, 0, 1, -1, True, 1.5, "x", [], {}, "1.0", "0.3", "application/json", "text/plain", "/ochotnicy/funding",
       "/ochotnicy/funding\n", "/ochotnicy/Funding", "urn:ochotnicy:event:FundingGranted:v2", "urn:ochotnicy:event:FundingGranted:v9",
       "urn:ochotnicy:event:FundingGranted:v2\n", "FundingGranted", "2026-03-01T09:00:00Z", "2026-03-01T09:00:00",
       "2026-03-01 09:00:00+01:00", "yesterday", "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-00000000000A",
       "6000.00", "6000.0", "6000.001", "-1.00", 6000, "٦٠٠٠.٠٠", "partnership", "2026-13", "a" * 2001]
ATTRIBUTES = [*envelope.REQUIRED, "sequence", "data", "correlationid", "data_base64"]


def _outcome(read, raw):
    try:
        return "read", repr(read(raw))
    except InvalidEvent as exc:
        return "refused", str(exc)
    except Exception as exc:  # noqa: BLE001 - the rebuild parks these too: the same exception must come out
        return "failed", repr(exc)


def _mangled(seed: int, count: int):
    rng = random.Random(seed)
    for _topic, _key, raw in log.messages(count):
        document = orjson.loads(raw)
        for _ in range(rng.randint(0, 3)):
            data = document.get("data")
            if rng.random() < 0.5 or not isinstance(data, dict) or not data:
                target, key = document, rng.choice(ATTRIBUTES)
            else:
                target, key = data, rng.choice([*data, "added_later"])
            if rng.random() < 0.15:
                target.pop(key, None)
            else:
                target[key] = rng.choice(ODD)
        yield orjson.dumps(document) if rng.random() < 0.95 else raw[:rng.randint(0, len(raw))]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_plain_path_reads_and_refuses_as_the_checked_one(seed, monkeypatch):
    cases = [*_mangled(seed, 1500), b"", None, b"null", b"[]", b"42", b'"text"', b"{}"]
    with monkeypatch.context() as checked_only:
        checked_only.setattr(envelope, "_plain", lambda raw: None)
        expected = [_outcome(lambda r: envelope.read(r, PUBLIC), raw) for raw in cases]
    assert sum(e[0] == "read" for e in expected) > 300 and sum(e[0] == "refused" for e in expected) > 300  # both sides met
    for _ in range(2):  # the second time, what the first one remembered is used
        assert [_outcome(lambda r: envelope.read(r, PUBLIC), raw) for raw in cases] == expected
    for raw in cases:
        plain = envelope._plain(raw)
        if plain is not None:  # what it vouches for, the checked path reads alike
            attrs, version = envelope._checked(raw)
            assert (repr(plain[0]), plain[1]) == (repr(attrs), version)


def test_an_event_read_on_the_plain_path_is_an_ordinary_envelope():
    _topic, _key, raw = next(iter(log.messages(1)))
    event = envelope.read(raw, PUBLIC)
    assert event == envelope.read(raw, PUBLIC) and hash(event) == hash(envelope.read(raw, PUBLIC))
    assert event.sequence == 1 and event.time.tzinfo is not None and event.correlation_id is None
