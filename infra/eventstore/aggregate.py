"""Base of event-sourced aggregates: state is the fold of their events (no I/O here)."""

from __future__ import annotations

from typing import Any, ClassVar, Iterable


class Aggregate:
    """Records events, applies them to itself, and counts its version."""

    type_name: ClassVar[str] = ""

    def __init__(self, id: str) -> None:
        self.id = id
        self.version = 0
        self._pending: list[tuple[int, Any]] = []

    @classmethod
    def rehydrate(cls, id: str, events: Iterable[Any]):
        """The aggregate as its past events left it."""
        aggregate = cls(id)
        for event in events:
            aggregate.apply(event)
            aggregate.version += 1
        return aggregate

    def apply(self, event: Any) -> None:
        """Changes state by one event; subclasses handle each event type."""
        raise NotImplementedError(f"{type(self).__name__} cannot apply {type(event).__name__}")

    def _record(self, event: Any) -> None:
        self.apply(event)
        self.version += 1
        self._pending.append((self.version, event))

    def pull_events(self) -> list[tuple[int, Any]]:
        """New (version, event) pairs since the last pull."""
        pending, self._pending = self._pending, []
        return pending

    @classmethod
    def aggregate_type(cls) -> str:
        return cls.type_name or cls.__name__
