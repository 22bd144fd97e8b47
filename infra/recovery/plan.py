"""What a restored store lacks of its topic, compared event by event: read-only (`ochotnicy restore-check`)."""

from __future__ import annotations

import collections
import dataclasses

from sqlalchemy import Connection, func, select

from contracts import topics
from contracts.registry import EventRegistry
from infra.config import Settings
from infra.eventstore import chain
from infra.eventstore.tables import events, outbox
from infra.recovery import log as topic_log
from infra.recovery.log import Published


@dataclasses.dataclass(frozen=True)
class Stored:
    """An event the store holds, as far as the comparison needs it."""

    position: int
    chain_seq: int | None
    published: bool


@dataclasses.dataclass
class Plan:
    """The events to write back from the topic, those to seal where the topic saw them, and what stands in the way."""

    service: str
    log_id: str
    store_head: int
    topic_head: int
    imports: list[Published] = dataclasses.field(default_factory=list)
    """On the topic, not in the store: written back with their ids, versions, data and chain sequences."""
    placements: dict[int, int] = dataclasses.field(default_factory=dict)
    """Store position → chain sequence: in the store but unsealed at the backup, sealed since under that sequence."""
    unpublished: list[str] = dataclasses.field(default_factory=list)
    """Event ids the topic holds whose outbox rows the backup still has as waiting: marked sent, never sent again."""
    conflicts: list[str] = dataclasses.field(default_factory=list)
    """Why nothing may be written: the store and the topic disagree (another log, or commands ran after the restore)."""
    holes: list[str] = dataclasses.field(default_factory=list)
    """Aggregates whose versions skip some: events that never reach the topic (private ones) written after the backup."""
    unreadable: list[str] = dataclasses.field(default_factory=list)
    aggregate_types: dict[str, str] = dataclasses.field(default_factory=dict)
    """Aggregate id → type, for imported events whose message did not name it."""

    @property
    def behind(self) -> bool:
        return self.topic_head > self.store_head

    @property
    def possible(self) -> bool:
        return not self.conflicts


def compare(settings: Settings, connection: Connection, registry: EventRegistry) -> Plan:
    """The plan for `settings.service`'s store, from its topic's events sealed beyond the store's chain head."""
    head, _digest, _unsealed = chain.head(connection)
    log_id = chain.log_id(connection)
    found = topic_log.read(settings, topics.BY_SERVICE[settings.service], log_id, registry, after=head)
    plan = Plan(settings.service, log_id, head, found.head, unreadable=found.unreadable)
    stored = _stored(connection, [p.envelope.id for p in found.events])
    versions = _last_versions(connection, {p.envelope.subject for p in found.events})
    for published in found.events:
        event = published.envelope
        if event.id in stored:
            _compare_stored(plan, published, stored[event.id])
            continue
        last = versions.get(event.subject, 0)
        if event.sequence <= last:
            plan.conflicts.append(
                f"{event.subject}: the store holds version {event.sequence} under another event than {event.id} "
                f"({published.place}): commands ran on the restored store before its recovery")
            continue
        if event.sequence > last + 1:
            plan.holes.append(f"{event.subject}: versions {last + 1}–{event.sequence - 1} are on no topic")
        versions[event.subject] = event.sequence
        if published.aggregate_type is None:
            _aggregate_type(plan, connection, published)
        plan.imports.append(published)
    return plan


def _compare_stored(plan: Plan, published: Published, stored: Stored) -> None:
    if stored.chain_seq is None:
        plan.placements[stored.position] = published.chain_seq
    elif stored.chain_seq != published.chain_seq:
        plan.conflicts.append(
            f"{published.envelope.id}: sealed as {stored.chain_seq} in the store but as {published.chain_seq} on the topic "
            f"({published.place}): the backup is not of this topic's log")
    if not stored.published:
        plan.unpublished.append(published.envelope.id)


def _aggregate_type(plan: Plan, connection: Connection, published: Published) -> None:
    subject = published.envelope.subject
    known = connection.execute(select(events.c.aggregate_type).where(events.c.aggregate_id == subject).limit(1)).scalar()
    if known is None:
        plan.conflicts.append(f"{published.envelope.id} ({published.place}): its message names no aggregate type, and the "
                              f"store has no other event of {subject}")
    else:
        plan.aggregate_types[subject] = known


def _stored(connection: Connection, ids: list[str]) -> dict[str, Stored]:
    found: dict[str, Stored] = {}
    for start in range(0, len(ids), 1000):
        rows = connection.execute(
            select(events.c.event_id, events.c.position, events.c.chain_seq, outbox.c.published_at)
            .join(outbox, outbox.c.event_id == events.c.event_id, isouter=True)
            .where(events.c.event_id.in_(ids[start : start + 1000]))
        )
        for row in rows:
            found[row.event_id] = Stored(row.position, row.chain_seq, row.published_at is not None)
    return found


def _last_versions(connection: Connection, aggregate_ids: set[str]) -> dict[str, int]:
    found: dict[str, int] = collections.defaultdict(int)
    ids = sorted(aggregate_ids)
    for start in range(0, len(ids), 1000):
        rows = connection.execute(
            select(events.c.aggregate_id, func.max(events.c.version))
            .where(events.c.aggregate_id.in_(ids[start : start + 1000]))
            .group_by(events.c.aggregate_id)
        )
        found.update({aggregate_id: version for aggregate_id, version in rows})
    return found
