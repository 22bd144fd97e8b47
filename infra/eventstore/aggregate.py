"""Base of event-sourced aggregates: state is the fold of their events (no I/O here)."""

from __future__ import annotations

from typing import Any, ClassVar, Iterable


class Aggregate:
    """Records events, applies them to itself, and counts its version."""

    type_name: ClassVar[str] = ""
    snapshot_every: ClassVar[int] = 0
    """Every how many events a snapshot of the state is kept with them (0: never, the stream is read whole)."""
    snapshot_format: ClassVar[int] = 1
    """Raised whenever `state()` changes shape: a snapshot of another format is ignored and the stream read whole."""

    def __init__(self, id: str) -> None:
        self.id = id
        self.version = 0
        self._pending: list[tuple[int, Any]] = []

    @classmethod
    def rehydrate(cls, id: str, events: Iterable[Any]):
        """The aggregate as its past events left it."""
        return cls(id).fold(events)

    @classmethod
    def restored(cls, id: str, version: int, state: dict[str, Any]):
        """The aggregate as a snapshot of it at `version` left it (fold the events after it on)."""
        aggregate = cls(id)
        aggregate.restore(state)
        aggregate.version = version
        return aggregate

    def fold(self, events: Iterable[Any]):
        """Applies past events, one version each."""
        for event in events:
            self.apply(event)
            self.version += 1
        return self

    def state(self) -> dict[str, Any]:
        """The state as JSON-ready data, for a snapshot (aggregates with `snapshot_every` define it, and `restore`)."""
        raise NotImplementedError(f"{type(self).__name__} keeps no snapshots")

    def restore(self, state: dict[str, Any]) -> None:
        """Takes back what `state()` gave."""
        raise NotImplementedError(f"{type(self).__name__} keeps no snapshots")

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
