"""Maps an event's type and schema version to its dataclass, schema and upcasters."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import marshmallow as ma
import marshmallow_dataclass as mdc

from contracts import fastread

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownEvent(LookupError):
    """An event type or schema version that no registry knows."""


class BrokenEvent(ValueError):
    """An event its own schema refuses: written, every reader would refuse it too."""


class _Tolerant(ma.Schema):
    """Readers ignore fields they do not know, so producers may add fields."""

    class Meta:
        unknown = ma.EXCLUDE


@dataclasses.dataclass(frozen=True)
class EventSpec:
    """One version of one event type."""

    type: str
    version: int
    cls: builtins.type  # the field `type` above hides the builtin in this class's body
    schema: ma.Schema
    topic: str | None
    fast: fastread.Reader | None = None
    text: fastread.TextForm | None = None

    @property
    def public(self) -> bool:
        return self.topic is not None

    @property
    def dataschema(self) -> str:
        return dataschema_uri(self.type, self.version)


def dataschema_uri(type_: str, version: int) -> str:
    """The versioned schema id carried in each CloudEvent's `dataschema`."""
    return f"urn:ochotnicy:event:{type_}:v{version}"


class EventRegistry:
    """Event types by name and version; a child registry adds private events to a parent."""

    def __init__(self, parent: EventRegistry | None = None) -> None:
        self._parent = parent
        self._specs: dict[tuple[str, int], EventSpec] = {}
        self._latest: dict[str, int] = {}
        self._by_class: dict[type, EventSpec] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def child(self) -> EventRegistry:
        return EventRegistry(parent=self)

    # -- registration -------------------------------------------------------
    def event(self, *, topic: str | None, version: int = 1, name: str | None = None):
        """Class decorator: the current version of an event (topic None = private)."""

        def register(cls: type) -> type:
            spec = self._add(cls, name or cls.__name__, version, topic)
            self._latest[spec.type] = max(version, self._latest.get(spec.type, 0))
            self._by_class[cls] = spec
            return cls

        return register

    def legacy(self, *, name: str, version: int, topic: str | None):
        """Class decorator: an old version kept so its entries stay readable and documented."""

        def register(cls: type) -> type:
            self._by_class[cls] = self._add(cls, name, version, topic)
            return cls

        return register

    def upcaster(self, type_: str, from_version: int):
        """Function decorator: turns data of `from_version` into data of the next version."""

        def register(fn: Upcaster) -> Upcaster:
            self._upcasters[(type_, from_version)] = fn
            return fn

        return register

    def _add(self, cls: type, name: str, version: int, topic: str | None) -> EventSpec:
        schema = mdc.class_schema(cls, base_schema=_Tolerant)()
        spec = EventSpec(type=name, version=version, cls=cls, schema=schema, topic=topic, fast=fastread.reader(cls),
                         text=fastread.text_form(cls))
        self._specs[(name, version)] = spec
        return spec

    # -- lookup -------------------------------------------------------------
    def spec(self, type_: str, version: int | None = None) -> EventSpec:
        found = self._own_spec(type_, version)
        if found is not None:
            return found
        if self._parent is not None:
            return self._parent.spec(type_, version)
        raise UnknownEvent(f"unknown event {type_} v{version or 'latest'}")

    def _own_spec(self, type_: str, version: int | None) -> EventSpec | None:
        if version is None:
            version = self._latest.get(type_)
        return self._specs.get((type_, version)) if version is not None else None

    def spec_of(self, event: Any) -> EventSpec:
        spec = self._by_class.get(type(event))
        if spec is not None:
            return spec
        if self._parent is not None:
            return self._parent.spec_of(event)
        raise UnknownEvent(f"{type(event).__name__} is not a registered event")

    def specs(self) -> Iterator[EventSpec]:
        """Every version of every event this registry (and its parent) knows."""
        seen = set()
        for spec in self._specs.values():
            seen.add((spec.type, spec.version))
            yield spec
        if self._parent is not None:
            yield from (s for s in self._parent.specs() if (s.type, s.version) not in seen)

    def knows(self, type_: str) -> bool:
        return type_ in self._latest or (self._parent is not None and self._parent.knows(type_))

    # -- (de)serialisation --------------------------------------------------
    def encode(self, event: Any) -> tuple[EventSpec, dict[str, Any]]:
        """The event's spec and data, once its data reads back: nothing is written that its readers refuse."""
        spec = self.spec_of(event)
        data = spec.schema.dump(event)
        try:
            self.load(spec, data)
        except ma.ValidationError as exc:
            raise BrokenEvent(f"{spec.type} v{spec.version} does not match its schema: {exc.messages}") from exc
        return spec, data

    def decode(self, type_: str, version: int, data: dict[str, Any]) -> Any:
        """Reads data of any known version as the current version's event."""
        latest = self.spec(type_)
        if version > latest.version:
            raise UnknownEvent(f"{type_} v{version} is newer than this reader (v{latest.version})")
        while version < latest.version:
            data = self._upcaster(type_, version)(data)
            version += 1
        return self.load(latest, data)

    def current(self) -> list[EventSpec]:
        """The current version of every event type this registry (and its parent) knows."""
        return [self.spec(type_) for type_ in sorted({spec.type for spec in self.specs()}) if self.knows(type_)]

    @staticmethod
    def load(spec: EventSpec, data: dict[str, Any]) -> Any:
        """The event `data` states: by the fast path when it can vouch for it, else by the schema (which says why not)."""
        if spec.fast is not None:
            try:
                return spec.fast(data)
            except fastread.Doubt:
                pass
        return spec.schema.load(data)

    def _upcaster(self, type_: str, version: int) -> Upcaster:
        fn = self._upcasters.get((type_, version))
        if fn is not None:
            return fn
        if self._parent is not None:
            return self._parent._upcaster(type_, version)
        raise UnknownEvent(f"no upcaster for {type_} v{version}")


PUBLIC = EventRegistry()
"""Every public event, published on the owning service's topic."""

public_event = PUBLIC.event
