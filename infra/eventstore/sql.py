"""The event store in a service's SQL database, writing the outbox in the same transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import orjson
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contracts import envelope
from infra import tracing
from infra.db.statements import built_once, upsert
from infra.eventstore.records import ConcurrencyError, NewEvent, Snapshot, StoredEvent
from infra.eventstore.tables import events as events_table
from infra.eventstore.tables import outbox, snapshots


def dumps(value) -> str:
    """Canonical JSON: sorted keys, so a record hashes the same wherever it is read."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def record_from_row(row) -> StoredEvent:
    return StoredEvent(
        position=row.position,
        event_id=row.event_id,
        aggregate_type=row.aggregate_type,
        aggregate_id=row.aggregate_id,
        version=row.version,
        type=row.type,
        schema_version=row.schema_version,
        topic=row.topic,
        data=orjson.loads(row.data),
        meta=orjson.loads(row.meta),
        occurred_at=row.occurred_at,
    )


def cloudevent(service: str, event: NewEvent) -> bytes:
    """The public form of a stored event, exactly as the relay will publish it."""
    return envelope.write(
        id=event.event_id,
        service=service,
        type=event.type,
        version=event.schema_version,
        subject=event.aggregate_id,
        sequence=event.version,
        time=event.occurred_at,
        data=event.data,
        correlation_id=event.meta.get("correlation_id"),
    )


class SqlEventStore:
    """Events of one service, in the session's transaction."""

    _COLUMNS = [c for c in events_table.c if c.name not in ("chain_seq", "prev_hash", "hash")]
    _APPEND = built_once(insert(events_table).returning(events_table.c.position, sort_by_parameter_order=True))
    _PUBLISH = built_once(insert(outbox))
    _LOAD = built_once(
        select(*_COLUMNS)
        .where(events_table.c.aggregate_id == bindparam("aggregate_id"), events_table.c.version > bindparam("after"))
        .order_by(events_table.c.version)
    )
    _SNAPSHOT = built_once(select(snapshots).where(snapshots.c.aggregate_id == bindparam("aggregate_id")))
    _LAST_VERSION = built_once(
        select(events_table.c.version)
        .where(events_table.c.aggregate_id == bindparam("aggregate_id"))
        .order_by(events_table.c.version.desc())
        .limit(1)
    )

    def __init__(self, session: Session, service: str) -> None:
        self._session = session
        self._service = service

    def append(self, events: Sequence[NewEvent]) -> list[StoredEvent]:
        if not events:
            return []
        rows = [
            {
                "event_id": e.event_id,
                "aggregate_type": e.aggregate_type,
                "aggregate_id": e.aggregate_id,
                "version": e.version,
                "type": e.type,
                "schema_version": e.schema_version,
                "topic": e.topic,
                "data": dumps(e.data),
                "meta": dumps(e.meta),
                "occurred_at": e.occurred_at,
            }
            for e in events
        ]
        self._check_versions(events)
        try:
            positions = self._session.execute(self._APPEND, rows).scalars().all()
        except IntegrityError as exc:
            raise ConcurrencyError("the aggregate was changed concurrently") from exc
        traceparent = tracing.current_traceparent()  # the relay's span, and each consumer's, continue this trace
        public = [
            {"event_id": e.event_id, "topic": e.topic, "key": e.aggregate_id, "payload": cloudevent(self._service, e),
             "traceparent": traceparent}
            for e in events
            if e.public
        ]
        if public:
            self._session.execute(self._PUBLISH, public)
        return [StoredEvent(**vars(e), position=p) for e, p in zip(events, positions)]

    def _check_versions(self, events: Sequence[NewEvent]) -> None:
        # The unique (aggregate_id, version) key catches races; this catches gaps.
        first: dict[str, int] = {}
        for event in events:
            first.setdefault(event.aggregate_id, event.version)
        for aggregate_id, version in first.items():
            if version == 1:
                continue
            current = self._session.execute(self._LAST_VERSION, {"aggregate_id": aggregate_id}).scalar()
            if current != version - 1:
                raise ConcurrencyError(f"{aggregate_id} is at version {current}, not {version - 1}")

    def load(self, aggregate_id: str, after: int = 0) -> list[StoredEvent]:
        rows = self._session.execute(self._LOAD, {"aggregate_id": aggregate_id, "after": after})
        return [record_from_row(r) for r in rows]

    def snapshot(self, aggregate_id: str) -> Snapshot | None:
        row = self._session.execute(self._SNAPSHOT, {"aggregate_id": aggregate_id}).first()
        if row is None:
            return None
        return Snapshot(row.aggregate_id, row.aggregate_type, row.version, row.format, orjson.loads(row.state))

    def keep(self, kept: Sequence[Snapshot]) -> None:
        now = datetime.datetime.now(datetime.timezone.utc)
        for snapshot in kept:
            row = {"aggregate_id": snapshot.aggregate_id, "aggregate_type": snapshot.aggregate_type, "version": snapshot.version,
                   "format": snapshot.format, "state": dumps(snapshot.state), "taken_at": now}
            upsert(self._session, snapshots, row, ["aggregate_id"], if_newer="version")

    def read_all(self, after: int = 0, limit: int | None = None) -> list[StoredEvent]:
        query = select(*self._COLUMNS).where(events_table.c.position > after).order_by(events_table.c.position)
        if limit is not None:
            query = query.limit(limit)
        return [record_from_row(r) for r in self._session.execute(query)]
