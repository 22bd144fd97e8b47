"""Loads aggregates from the event store and collects what they recorded."""

from __future__ import annotations

import datetime
import uuid
from typing import TypeVar

from contracts.registry import EventRegistry
from infra.context import Context
from infra.eventstore.aggregate import Aggregate
from infra.eventstore.records import EventStore, NewEvent

A = TypeVar("A", bound=Aggregate)


class Repository:
    """Aggregates seen in one unit of work."""

    def __init__(self, store: EventStore, registry: EventRegistry) -> None:
        self._store = store
        self._registry = registry
        self._seen: list[Aggregate] = []

    def get(self, cls: type[A], aggregate_id: str) -> A | None:
        records = self._store.load(aggregate_id)
        if not records:
            return None
        aggregate = cls.rehydrate(
            aggregate_id, (self._registry.decode(r.type, r.schema_version, r.data) for r in records)
        )
        self._seen.append(aggregate)
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        self._seen.append(aggregate)

    def collect(self, context: Context) -> list[tuple[NewEvent, object]]:
        """The new events of every aggregate seen, ready to append, with their domain objects."""
        now = datetime.datetime.now(datetime.timezone.utc)
        meta = {"actor": context.actor, "correlation_id": context.correlation_id}
        collected = []
        for aggregate in self._seen:
            for version, event in aggregate.pull_events():
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
