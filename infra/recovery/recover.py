"""Writes back into a restored store what its topic holds beyond it, in one transaction (`ochotnicy recover`).

Each event keeps its id, aggregate version, data and time; it is sealed at the chain sequence its message named, and
its outbox row is written as sent, so the relay never publishes it again. The service's own read model applies it as
the command that wrote it did. Sequences neither the backup nor the topic holds are recorded as gaps, never reused.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

from sqlalchemy import Engine, insert, text, update
from sqlalchemy.orm import Session

from contracts import topics
from contracts.registry import EventRegistry
from infra import context
from infra.config import Settings
from infra.eventstore import chain
from infra.eventstore.records import NewEvent, StoredEvent
from infra.eventstore.sql import dumps
from infra.eventstore.tables import events, outbox
from infra.messaging.leader import LeaderLock
from infra.projection import Projector
from infra.recovery import plan as planning
from infra.recovery.log import Published
from infra.recovery.plan import Plan
from infra.uow import envelope_of

ACTOR = "ochotnicy recover"
"""The actor recovered events record: who really acted is not on the topic (it names no one)."""
GAP_REASON = "not in the backup nor on the topic: events the topic never carries (private ones) written after the backup"


class NotRecoverable(RuntimeError):
    """The store cannot be recovered as it is; the message says why and what to do."""


Mend = Callable[[Session, Settings], list[str]]


@dataclasses.dataclass(frozen=True)
class Outcome:
    plan: Plan | None
    """None for a service that owns no topic (its store holds no events)."""
    gaps: list[tuple[int, int]]
    mended: list[str]
    """What the service's own step (ServiceSpec.recovered) did."""


def recover(settings: Settings, engine: Engine, registry: EventRegistry, projector: Projector | None,
            mend: Mend | None = None) -> Outcome:
    """Compares the store with its topic and writes back what it lacks, then lets the service mend what no topic carries;
    raises NotRecoverable, writing nothing, on conflict."""
    leader = LeaderLock(engine, f"relay:{settings.service}")
    if not leader.acquire():
        raise NotRecoverable(f"a relay of {settings.service} is running: stop the service's workers (and web) first")
    try:
        with Session(engine) as session:
            owns_topic = settings.service in topics.BY_SERVICE
            if engine.dialect.name == "postgresql" and owns_topic:
                # No command appends while the store is compared and written (a web still running waits, then its
                # commit sees the recovered versions and is refused, never reusing one).
                session.execute(text("LOCK TABLE events IN EXCLUSIVE MODE"))
            found = planning.compare(settings, session.connection(), registry) if owns_topic else None
            if found is not None and found.conflicts:
                raise NotRecoverable("; ".join(found.conflicts))
            gaps = _write(session, settings.service, found, projector) if found is not None else []
            mended = mend(session, settings) if mend is not None else []
            session.commit()
        return Outcome(found, gaps, mended)
    finally:
        leader.release()


def _write(session: Session, service: str, found: Plan, projector: Projector | None) -> list[tuple[int, int]]:
    now = datetime.datetime.now(datetime.timezone.utc)
    placements = dict(found.placements)
    for published in found.imports:
        record = _record(published, found)
        position = session.execute(insert(events).values(**_row(record)).returning(events.c.position)).scalar_one()
        session.execute(insert(outbox).values(event_id=published.envelope.id, topic=published.topic,
                                              key=published.envelope.subject, payload=published.payload, published_at=now))
        placements[position] = published.chain_seq
        if projector is not None:  # the service's own read model, as the command's transaction applied it
            stored = StoredEvent(**vars(record), position=position)
            with context.acting(ACTOR, published.envelope.correlation_id):
                projector.apply(session, envelope_of(service, stored, published.envelope.data))
    if found.unpublished:
        session.execute(update(outbox).where(outbox.c.event_id.in_(found.unpublished), outbox.c.published_at.is_(None))
                        .values(published_at=now))
    return chain.place(session.connection(), placements, GAP_REASON) if placements else []


def _record(published: Published, found: Plan) -> NewEvent:
    event = published.envelope
    return NewEvent(
        event_id=event.id,
        aggregate_type=published.aggregate_type or found.aggregate_types[event.subject],
        aggregate_id=event.subject,
        version=event.sequence,
        type=event.type,
        schema_version=event.schema_version,
        topic=published.topic,
        data=published.data,
        meta={"actor": ACTOR, "correlation_id": event.correlation_id, "recovered_from": published.place},
        occurred_at=event.time,
    )


def _row(record: NewEvent) -> dict:
    return {
        "event_id": record.event_id, "aggregate_type": record.aggregate_type, "aggregate_id": record.aggregate_id,
        "version": record.version, "type": record.type, "schema_version": record.schema_version, "topic": record.topic,
        "data": dumps(record.data), "meta": dumps(record.meta), "occurred_at": record.occurred_at,
    }
