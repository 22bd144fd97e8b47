"""Loads aggregates from the event store and collects what they recorded."""

from __future__ import annotations

import datetime
import uuid
from typing import TypeVar

from contracts.registry import EventRegistry
from infra.context import Context
from infra.eventstore.aggregate import Aggregate
from infra.eventstore.records import EventStore, NewEvent, Snapshot

A = TypeVar("A", bound=Aggregate)


class Repository:
    """Aggregates seen in one unit of work."""

    def __init__(self, store: EventStore, registry: EventRegistry) -> None:
        self._store = store
        self._registry = registry
        self._seen: list[Aggregate] = []
        self.snapshots: list[Snapshot] = []
        """Snapshots due with the events `collect` gave: the unit of work keeps them in the same transaction."""

    def get(self, cls: type[A], aggregate_id: str) -> A | None:
        aggregate = self._from_snapshot(cls, aggregate_id) if cls.snapshot_every else None
        records = self._store.load(aggregate_id, after=aggregate.version if aggregate is not None else 0)
        if aggregate is None:
            if not records:
                return None
            aggregate = cls(aggregate_id)
        aggregate.fold(self._registry.decode(r.type, r.schema_version, r.data) for r in records)
        self._seen.append(aggregate)
        return aggregate

    def _from_snapshot(self, cls: type[A], aggregate_id: str) -> A | None:
        snapshot = self._store.snapshot(aggregate_id)
        if snapshot is None or snapshot.aggregate_type != cls.aggregate_type() or snapshot.format != cls.snapshot_format:
            return None
        return cls.restored(aggregate_id, snapshot.version, snapshot.state)

    def add(self, aggregate: Aggregate) -> None:
        self._seen.append(aggregate)

    def collect(self, context: Context) -> list[tuple[NewEvent, object]]:
        """The new events of every aggregate seen, ready to append, with their domain objects."""
        now = datetime.datetime.now(datetime.timezone.utc)
        meta = {"actor": context.actor, "correlation_id": context.correlation_id}
        collected = []
        self.snapshots = []
        for aggregate in self._seen:
            pending = aggregate.pull_events()
            if pending and aggregate.snapshot_every and self._crosses(aggregate.snapshot_every, pending[0][0], pending[-1][0]):
                self.snapshots.append(Snapshot(aggregate.id, aggregate.aggregate_type(), aggregate.version,
                                               aggregate.snapshot_format, aggregate.state()))
            for version, event in pending:
                spec, data = self._registry.encode(event)
                record = NewEvent(
                    event_id=str(uuid.uuid4()),
                    aggregate_type=aggregate.aggregate_type(),
                    aggregate_id=aggregate.id,
                    version=version,
                    type=spec.type,
                    schema_version=spec.version,
                    topic=spec.topic,
                    data=data,
                    meta=meta,
                    occurred_at=now,
                )
                collected.append((record, event))
        return collected

    @staticmethod
    def _crosses(every: int, first: int, last: int) -> bool:
        """Whether versions first..last include a multiple of `every` (a snapshot is due there)."""
        return last // every > (first - 1) // every
