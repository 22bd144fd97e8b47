"""envelope.read's quick path (the text decoded once) defers where it cannot be sure, so that read answers as before."""

from __future__ import annotations

import dataclasses
import datetime

import orjson
import pytest

from contracts import envelope, textread
from contracts.envelope import InvalidEvent
from contracts.registry import EventRegistry

MOMENT = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


@dataclasses.dataclass(frozen=True)
class Noted:
    text: str
    count: int = 0


@dataclasses.dataclass(frozen=True)
class Other:
    text: str


@dataclasses.dataclass(frozen=True)
class NotedV2:
    text: str
    count: int
    extra: bool


@pytest.fixture(autouse=True)
def _fresh_decoders(monkeypatch):
    """The registries made here remembered apart from the process's few (which are remembered up to a bound)."""
    monkeypatch.setattr(textread, "DOCUMENTS", {})


def _registry(*classes) -> EventRegistry:
    registry = EventRegistry()
    for cls in classes:
        registry.event(topic=None, name=cls.__name__)(cls)
    return registry


def _written(type_: str = "Noted", version: int = 1, **data) -> bytes:
    return envelope.write(id="e1", service="tests", type=type_, version=version, subject="s1", sequence=1, time=MOMENT,
                          data=data or {"text": "x", "count": 2})


def _outcome(raw, registry):
    try:
        return "read", repr(envelope.read(raw, registry))
    except InvalidEvent as exc:
        return "refused", str(exc)


def _old(raw, registry, monkeypatch):
    with monkeypatch.context() as old:
        old.setattr(envelope, "_quick", lambda raw, registry: None)
        return _outcome(raw, registry)


def test_a_document_without_its_type_is_refused_by_a_registry_of_one_type_too(monkeypatch):
    registry = _registry(Noted)
    document = orjson.loads(_written())
    del document["type"]
    raw = orjson.dumps(document)
    assert envelope._quick(raw, registry) is None
    assert _outcome(raw, registry) == _old(raw, registry, monkeypatch) == ("refused", "missing attributes: type")


def test_an_event_of_a_registry_of_two_types_takes_the_quick_path(monkeypatch):
    registry = _registry(Noted, Other)
    raw = _written()
    assert envelope._quick(raw, registry) is not None
    assert _outcome(raw, registry) == _old(raw, registry, monkeypatch)


def test_a_version_registered_after_the_first_read_is_read_by_the_old_path(monkeypatch):
    registry = _registry(Noted, Other)
    assert envelope._quick(_written(), registry) is not None  # the decoder of the registry's documents is made now
    registry.event(topic=None, name="Noted", version=2)(NotedV2)
    raw = _written(version=2, text="x", count=2, extra=True)
    assert envelope._quick(raw, registry) is None
    assert _outcome(raw, registry) == _old(raw, registry, monkeypatch)
    assert _outcome(raw, registry)[0] == "read"


@pytest.mark.parametrize("raw", [
    bytearray(_written()), _written().decode(), memoryview(_written()),
])
def test_a_message_other_than_bytes_is_left_to_orjson(raw):
    assert envelope._quick(raw, _registry(Noted, Other)) is None  # type: ignore[arg-type]
