"""What the event store keeps: one record per event, in order."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Protocol, Sequence


class ConcurrencyError(Exception):
    """Someone else changed the aggregate first; reload and try again."""


@dataclasses.dataclass(frozen=True)
class NewEvent:
    """An event about to be appended."""

    event_id: str
    aggregate_type: str
    aggregate_id: str
    version: int
    type: str
    schema_version: int
    topic: str | None
    data: dict[str, Any]
    meta: dict[str, Any]
    occurred_at: datetime.datetime

    @property
    def public(self) -> bool:
        return self.topic is not None


@dataclasses.dataclass(frozen=True)
class StoredEvent(NewEvent):
    """An event in the store, at its position in the service's log."""

    position: int


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """An aggregate's state as its events up to `version` left it, so a load reads only the events after it."""

    aggregate_id: str
    aggregate_type: str
    version: int
    format: int
    state: dict[str, Any]


class EventStore(Protocol):
    """Append with expected versions; read one aggregate (from a version on) or the whole log; keep snapshots."""

    def append(self, events: Sequence[NewEvent]) -> list[StoredEvent]: ...

    def load(self, aggregate_id: str, after: int = 0) -> list[StoredEvent]: ...

    def snapshot(self, aggregate_id: str) -> Snapshot | None: ...

    def keep(self, snapshots: Sequence[Snapshot]) -> None:
        """Stores each snapshot unless a later one of the same aggregate is kept already."""

    def read_all(self, after: int = 0, limit: int | None = None) -> list[StoredEvent]: ...
