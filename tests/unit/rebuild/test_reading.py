"""The rebuild's reading of events: the quick and plain paths through envelope.read give what the checked one gives, so
the rebuild and the live consumer refuse the same messages for the same reasons."""

from __future__ import annotations

import random

import orjson
import pytest

from contracts import PUBLIC, envelope
from contracts.envelope import InvalidEvent
from ochotnicy.bench import log
from tests.support.json_objects import objects_in

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


# JSON text that orjson and msgspec may read differently, or that msgspec.convert and msgspec's JSON decoder may.
TOKENS = [b"1", b"1.0", b"1e0", b"-0", b"0", b"2", b"1E400", b"-1e400", b"1e-400", b"9223372036854775807", b"9223372036854775808",
          b"18446744073709551615", b"18446744073709551616", b"-9223372036854775808", b"-9223372036854775809", b"1" + b"0" * 30,
          b"1" + b"0" * 400, b'"\\ud800"', b'"\\udc00x"', b'"\\ud83d\\ude00"', b'"\\u00e9"', b'"\xff"', b'"\xc3\xa9"', b'"\\u0000"',
          b'"6000.00"', b"6000.00",
          b"1234567890123456.78", b"6000", b"6000.0", b'"6000.0"', b'"6e3"', b'" 6000.00"', b'"6_000.00"', b'"NaN"', b'"-0.00"',
          b'"2026-03-01T09:00:00+02:00"', b'"2026-03-01T09:00:00z"', b'"2026-03-01T09:00:00.123456789Z"', b'"2026-03-01"',
          b'"2026-03-01T09:00:00-00:00"', b'"2026-03-01T09:00:00+14:00"', b'"2026-W09-7"', b'"20260301"', b"[]", b"{}", b'{"a": 1}',
          b"[1.0]", b'[{"min_institutions": 1.0, "max_institutions": null, "cap": "1.00"}]', b'["x", 1]', b"null", b"true", b"false",
          b'"00000000-0000-0000-0000-00000000000a"', b'"00000000-0000-0000-0000-00000000000A"', b'"\\u0030\\u0030"',
          b"[" * 1100 + b"]" * 1100, b"[" * 500 + b"]" * 500, b'""', b'"x"', b'"1.0"', b"NaN", b"Infinity", b"[1,]"]


def _escaped(text: bytes, rng: random.Random) -> bytes:
    """`text` with one ASCII letter of a string written as a \\u escape: the same JSON."""
    spots = [i for i in range(1, len(text) - 1) if chr(text[i]).isalnum() and text[i - 1] != 0x5C]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + b"\\u%04x" % text[i] + text[i + 1:]


def _written(seed: int, count: int):
    """The log's events with their JSON text changed where two JSON readers might disagree: tokens, duplicates, escapes."""
    rng = random.Random(seed)
    for n, (_topic, _key, raw) in enumerate(log.messages(count)):
        document = orjson.loads(raw)
        objects = [document, *objects_in(document.get("data"))]
        tokens: dict[bytes, bytes] = {}
        for i in range(rng.randint(0, 2)):
            target = rng.choice(objects)
            key = rng.choice([*target, "added_later"] if target is not document else [*ATTRIBUTES, "extension"])
            placeholder = f"@@{n}-{i}@@"
            move = rng.random()
            if move < 0.4:
                target[key] = placeholder
            elif move < 0.8 and key in target:  # the key twice, an odd value or its own first (or last)
                duplicate = {placeholder + "key": placeholder}
                new = {**duplicate, **target} if rng.random() < 0.5 else {**target, **duplicate}
                tokens[orjson.dumps(placeholder)] = orjson.dumps(target[key]) if rng.random() < 0.5 else rng.choice(TOKENS)
                target.clear()
                target.update(new)
                tokens[orjson.dumps(placeholder + "key")] = orjson.dumps(key)
            else:
                target.pop(key, None)
            tokens.setdefault(orjson.dumps(placeholder), rng.choice(TOKENS))
        text = orjson.dumps(document)
        for placeholder, token in tokens.items():
            text = text.replace(placeholder, token)
        for _ in range(rng.randint(0, 3)):
            text = _escaped(text, rng)
        if rng.random() < 0.2:
            text = text.replace(b'":', b'" :\n\t', rng.randint(1, 3))
        yield text if rng.random() < 0.97 else rng.choice([b"\xef\xbb\xbf", b" \n", b""]) + text + rng.choice([b" ", b"\x00", b"x", b""])


def _old_event(raw):
    """envelope.read without its quick path: orjson's dict, then the registry's decode."""
    quick, envelope._quick = envelope._quick, lambda raw, registry: None
    try:
        return envelope.read(raw, PUBLIC)
    finally:
        envelope._quick = quick


def _old_read(raw):
    return _outcome(_old_event, raw)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_plain_path_reads_and_refuses_as_the_checked_one(seed, monkeypatch):
    cases = [*_mangled(seed, 1500), *_written(seed, 1500), b"", None, b"null", b"[]", b"42", b'"text"', b"{}"]
    with monkeypatch.context() as checked_only:
        checked_only.setattr(envelope, "_plain", lambda raw: None)
        checked_only.setattr(envelope, "_quick", lambda raw, registry: None)
        expected = [_outcome(lambda r: envelope.read(r, PUBLIC), raw) for raw in cases]
    assert sum(e[0] == "read" for e in expected) > 600 and sum(e[0] == "refused" for e in expected) > 600  # both sides met
    for _ in range(2):  # the second time, what the first one remembered is used
        assert [_outcome(lambda r: envelope.read(r, PUBLIC), raw) for raw in cases] == expected
        assert [_old_read(raw) for raw in cases] == expected
    for raw in cases:
        plain = envelope._plain(raw)
        if plain is not None:  # what it vouches for, the checked path reads alike
            attrs, version = envelope._checked(raw)
            assert (repr(plain[0]), plain[1]) == (repr(attrs), version)


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_what_the_quick_path_reads_the_old_one_reads_as_the_same_event(seed):
    cases = list(_written(seed, 3000))
    quick = [envelope._quick(raw, PUBLIC) for raw in cases]
    assert sum(q is not None for q in quick) > 300 and sum(q is None for q in quick) > 1000  # both sides met
    for raw, event in zip(cases, quick, strict=True):
        if event is not None:
            assert _old_read(raw) == ("read", repr(event)), raw
            assert event == _old_event(raw) and hash(event) == hash(_old_event(raw))


def test_events_as_producers_write_them_take_the_quick_path():
    for _topic, _key, raw in log.messages(3000):
        event = envelope._quick(raw, PUBLIC)
        assert event is not None, raw
        assert _old_read(raw) == ("read", repr(event))


def test_an_older_version_is_upcast_on_the_old_path():
    _topic, _key, raw = next(m for m in log.messages(3000) if b'"FundingGranted"' in m[2])
    document = orjson.loads(raw)
    document["dataschema"] = "urn:ochotnicy:event:FundingGranted:v1"
    document["data"] = {k: v for k, v in document["data"].items() if k not in ("rules", "inputs")}
    raw = orjson.dumps(document)
    assert envelope._quick(raw, PUBLIC) is None
    event = envelope.read(raw, PUBLIC)
    assert event.schema_version == 1 and event.data.rules is None and ("read", repr(event)) == _old_read(raw)


def test_an_event_read_on_the_plain_path_is_an_ordinary_envelope():
    _topic, _key, raw = next(iter(log.messages(1)))
    event = envelope.read(raw, PUBLIC)
    assert event == envelope.read(raw, PUBLIC) and hash(event) == hash(envelope.read(raw, PUBLIC))
    assert event.sequence == 1 and event.time.tzinfo is not None and event.correlation_id is None
