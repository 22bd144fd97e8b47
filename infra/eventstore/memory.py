"""An in-memory event store for unit tests; passes the same suite as the SQL one."""

from __future__ import annotations

from collections.abc import Sequence

from infra.eventstore.records import ConcurrencyError, NewEvent, Snapshot, StoredEvent


class InMemoryEventStore:
    def __init__(self) -> None:
        self._log: list[StoredEvent] = []
        self._versions: dict[str, int] = {}
        self.snapshots: dict[str, Snapshot] = {}

    def append(self, events: Sequence[NewEvent]) -> list[StoredEvent]:
        versions = dict(self._versions)
        for event in events:
            if event.version != versions.get(event.aggregate_id, 0) + 1:
                raise ConcurrencyError(f"{event.aggregate_id} is not at version {event.version - 1}")
            versions[event.aggregate_id] = event.version
        if len({e.event_id for e in events} | {e.event_id for e in self._log}) != len(events) + len(self._log):
            raise ConcurrencyError("event id already stored")
        stored = [
            StoredEvent(**vars(event), position=len(self._log) + i + 1) for i, event in enumerate(events)
        ]
        self._log.extend(stored)
        self._versions = versions
        return stored

    def load(self, aggregate_id: str, after: int = 0) -> list[StoredEvent]:
        return [e for e in self._log if e.aggregate_id == aggregate_id and e.version > after]

    def snapshot(self, aggregate_id: str) -> Snapshot | None:
        return self.snapshots.get(aggregate_id)

    def keep(self, snapshots: Sequence[Snapshot]) -> None:
        for snapshot in snapshots:
            kept = self.snapshots.get(snapshot.aggregate_id)
            if kept is None or kept.version < snapshot.version:
                self.snapshots[snapshot.aggregate_id] = snapshot

    def read_all(self, after: int = 0, limit: int | None = None) -> list[StoredEvent]:
        found = [e for e in self._log if e.position > after]
        return found[:limit] if limit is not None else found

    def drop(self, stored: Sequence[StoredEvent]) -> None:
        """Takes back the last append (the in-memory rollback of a failed commit)."""
        positions = {e.position for e in stored}
        self._log = [e for e in self._log if e.position not in positions]
        self._versions = {}
        for event in self._log:
            self._versions[event.aggregate_id] = event.version
