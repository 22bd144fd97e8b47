"""Event data read from its JSON text in one step is the event read from orjson's dict, or the text form defers."""

from __future__ import annotations

import copy
import decimal
import json
import re

import msgspec
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import PUBLIC, fastread
from contracts.registry import EventRegistry, EventSpec
from ochotnicy.bench import log
from tests.support.json_objects import objects_in
from tests.unit.test_fastread import SPECS, _valid_for

ODD_TEXTS = [b'"6000.00"', b"6000.00", b"6000", b"1.0", b"1", b"9223372036854775808", b"18446744073709551616", b"1" + b"0" * 400,
             b"1e400", b'"\\ud800"', b'"\\u0041"', b'"\xff"', b"null", b"[]", b"{}", b"true", b'"2026-03-01"', b'"2026-3-1"',
             b"1234567890123456.78", b"0.10", b"1e2", b"100.00e0", b"1" + b"0" * 30, b"-1" + b"0" * 30, b"-9223372036854775809"]


def _text(value) -> bytes:
    """JSON text of a drawn document, its decimals written as numbers (as a producer that forgot the text would)."""
    return re.sub(rb'"@@(.*?)@@"', rb"\1", json.dumps(_marked(value)).encode())


def _marked(value):
    if isinstance(value, decimal.Decimal):
        return f"@@{value}@@"
    if isinstance(value, dict):
        return {k: _marked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_marked(v) for v in value]
    return value


def _old(spec: EventSpec, text: bytes):
    """What the registry reads from orjson's dict of `text`: the event, or the exception."""
    try:
        return "read", repr(EventRegistry.load(spec, orjson.loads(text)))
    except Exception as exc:  # noqa: BLE001 - whatever the old path raises, the text form must not have read
        return "failed", type(exc).__name__


def _new(spec: EventSpec, text: bytes):
    """What the text form reads, or None where it defers."""
    assert spec.text is not None
    try:
        return spec.text.read(msgspec.json.decode(text, type=spec.text.wire))
    except (msgspec.DecodeError, UnicodeDecodeError, fastread.Doubt):
        return None


def test_every_event_version_has_a_text_form():
    assert all(spec.text is not None for spec in SPECS.values()), [k for k, s in SPECS.items() if s.text is None]


@pytest.mark.parametrize("key", sorted(SPECS), ids=lambda k: f"{k[0]}-v{k[1]}")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_what_the_text_form_reads_the_old_path_reads_alike(key, data):
    spec = SPECS[key]
    text = _text(data.draw(_valid_for(spec.cls)))
    if data.draw(st.booleans()):  # one value's text replaced by one orjson and msgspec might read apart
        document = json.loads(text)
        if document:
            field = data.draw(st.sampled_from(sorted(document)))
            document[field] = "@@odd@@"
            text = json.dumps(document).encode().replace(b'"@@odd@@"', data.draw(st.sampled_from(ODD_TEXTS)))
    new = _new(spec, text)
    if new is not None:
        assert _old(spec, text) == ("read", repr(new)), text


@pytest.mark.parametrize("odd", ODD_TEXTS)
def test_each_field_of_each_logged_event_written_oddly_is_read_alike_or_deferred(odd):
    seen: dict[str, bytes] = {}
    for _topic, _key, raw in log.messages(3000):
        seen.setdefault(orjson.loads(raw)["type"], raw)
    for raw in seen.values():
        document = orjson.loads(raw)
        spec = PUBLIC.spec(document["type"])
        for target_number, target in enumerate(objects_in(document["data"])):
            for key in [*target, "added_later"]:
                changed = copy.deepcopy(document["data"])
                list(objects_in(changed))[target_number][key] = "@@odd@@"
                text = orjson.dumps(changed).replace(b'"@@odd@@"', odd)
                new = _new(spec, text)
                if new is not None:
                    assert _old(spec, text) == ("read", repr(new)), text
