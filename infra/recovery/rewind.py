"""A restored service's consumers read again what their restored claims do not hold.

Each consumer group's offsets live in Kafka and went on after the backup; its claims (`processed_events`) and read
model came back with the database. The group is set back, per partition, to just after the last event the restored
claims hold (the partition's start where they hold none): everything applied since is read again and applied once,
and what the restored claims hold is dropped as a duplicate, as after any redelivery.
"""

from __future__ import annotations

import dataclasses

from kafka import TopicPartition
from kafka.errors import NoError
from kafka.structs import OffsetAndMetadata
from sqlalchemy import Connection, func, select

from infra.audit.replay import Consumed
from infra.config import Settings
from infra.eventstore.tables import processed_events
from infra.messaging import kafka
from infra.messaging.offsets import partitions


class GroupActive(RuntimeError):
    """A consumer group still has members: its service's workers must be stopped first."""


@dataclasses.dataclass(frozen=True)
class Rewound:
    """Where one partition of a group was set back to, from where it had committed."""

    group: str
    topic: str
    partition: int
    committed: int | None
    offset: int


def targets(connection: Connection, consumed: Consumed, found: list[TopicPartition], starts: dict) -> dict[TopicPartition, int]:
    """Per partition, just after the last offset the claims hold, or the partition's start."""
    rows = connection.execute(
        select(processed_events.c.topic, processed_events.c.partition, func.max(processed_events.c.offset))
        .where(processed_events.c.consumer == consumed.name, processed_events.c.topic.in_(consumed.topics))
        .group_by(processed_events.c.topic, processed_events.c.partition)
    )
    claimed = {TopicPartition(topic, partition): offset + 1 for topic, partition, offset in rows}
    return {tp: max(claimed.get(tp, starts[tp]), starts[tp]) for tp in found}


def _with_members(admin, names: list[str]) -> list[str]:
    """The groups that have members now. Where kafka-python cannot read the broker's description (Tansu's), none: the
    broker itself then refuses offsets for a group with members, which `rewind` reports the same way."""
    try:
        described = admin.describe_groups(names) if names else {}
    except ValueError:
        return []
    return [name for name, group in described.items() if group.get("members")]


def rewind(settings: Settings, connection: Connection, groups: tuple[Consumed, ...], *, dry_run: bool = False) -> list[Rewound]:
    """Sets each group back to what the restored claims hold (or only says where, dry); raises GroupActive, changing
    nothing, if a group has members."""
    admin = kafka.admin(settings, f"{settings.service}-recovery-admin")
    reader = kafka.consumer(settings, None, f"{settings.service}-recovery")
    try:
        busy = [] if dry_run else _with_members(admin, [g.name for g in groups])
        if busy:
            raise GroupActive(f"consumer groups {', '.join(busy)} still have members: stop {settings.service}'s workers first")
        done = []
        for consumed in groups:
            found = partitions(reader, consumed.topics)
            if not found:
                continue
            committed = admin.list_group_offsets({consumed.name: found}).get(consumed.name, {})
            offsets = targets(connection, consumed, found, reader.beginning_offsets(found))
            answers = {} if dry_run else admin.alter_group_offsets(
                consumed.name, {tp: OffsetAndMetadata(o, "ochotnicy recover", -1) for tp, o in offsets.items()})
            refused = {f"{tp.topic}:{tp.partition}": error.__name__ for tp, error in answers.items() if error is not NoError}
            if refused:
                raise GroupActive(f"{consumed.name}: the broker refused its new offsets: {refused}")
            done += [Rewound(consumed.name, tp.topic, tp.partition,
                             committed[tp].offset if tp in committed and committed[tp].offset >= 0 else None, offset)
                     for tp, offset in offsets.items()]
        return done
    finally:
        reader.close(autocommit=False)
        admin.close()
