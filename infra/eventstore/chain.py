"""Tamper evidence: the service's log chained by hash, in the order the log became visible.

The relay's leader seals committed events one after another: each record gets the next chain
sequence, the hash of the record before it, and its own hash over its content and that link.
Editing, removing or reordering a sealed record breaks the chain from there on.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

from sqlalchemy import Connection, bindparam, func, select

from infra.db.statements import built_once, bulk_update
from infra.eventstore.tables import events

GENESIS = "0" * 64
_CONTENT = (
    events.c.position,
    events.c.event_id,
    events.c.aggregate_type,
    events.c.aggregate_id,
    events.c.version,
    events.c.type,
    events.c.schema_version,
    events.c.topic,
    events.c.data,
    events.c.meta,
    events.c.occurred_at,
)


def record_hash(row, prev_hash: str) -> str:
    """The hash of one record's content, linked to the record before it."""
    parts = [prev_hash]
    for column in _CONTENT:
        value = getattr(row, column.name)
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.timezone.utc).isoformat()
        parts.append("" if value is None else str(value))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# The relay seals after every commit.
_HEAD = built_once(
    select(events.c.chain_seq, events.c.hash).where(events.c.chain_seq.is_not(None)).order_by(events.c.chain_seq.desc()).limit(1)
)
_UNSEALED = built_once(select(*_CONTENT).where(events.c.chain_seq.is_(None)).order_by(events.c.position).limit(bindparam("limit")))


def seal(connection: Connection, limit: int = 5000) -> int:
    """Seals committed, unsealed events in position order; returns how many. One sealer at a time."""
    head = connection.execute(_HEAD).first()
    seq, prev = (head.chain_seq, head.hash) if head else (0, GENESIS)
    rows = connection.execute(_UNSEALED, {"limit": limit}).all()
    if not rows:
        return 0
    updates = []
    for row in rows:
        seq += 1
        digest = record_hash(row, prev)
        updates.append({"position": row.position, "chain_seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    bulk_update(connection, events, updates, "position")
    return len(updates)


@dataclasses.dataclass(frozen=True)
class ChainReport:
    """What `verify` found: how many links hold, the first broken one, events not yet sealed."""

    sealed: int
    unsealed: int
    broken_at: int | None = None
    event_id: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(connection: Connection, *, batch: int = 10_000) -> ChainReport:
    """Walks the chain from the start; names the first link that does not hold."""
    prev, expected_seq, checked, last = GENESIS, 1, 0, 0
    while True:
        rows = connection.execute(
            select(*_CONTENT, events.c.chain_seq, events.c.prev_hash, events.c.hash)
            .where(events.c.chain_seq > last)
            .order_by(events.c.chain_seq)
            .limit(batch)
        ).all()
        for row in rows:
            problem = None
            if row.chain_seq != expected_seq:
                problem = f"brak ogniwa {expected_seq} (następne znalezione: {row.chain_seq}): zapis usunięto"
            elif row.prev_hash != prev:
                problem = "nie wskazuje na zapis przed nim: zapis usunięto, wstawiono albo przestawiono"
            elif record_hash(row, prev) != row.hash:
                problem = "jego treść nie zgadza się już z jego skrótem: zapis zmieniono"
            if problem:
                return ChainReport(checked, _unsealed(connection), row.chain_seq, row.event_id, problem)
            prev, expected_seq, checked, last = row.hash, expected_seq + 1, checked + 1, row.chain_seq
        if len(rows) < batch:
            return ChainReport(checked, _unsealed(connection))


def head(connection: Connection) -> tuple[int, str, int]:
    """The newest sealed link (its sequence, 0 before the first seal, and hash) and how many events wait to be sealed."""
    found = connection.execute(_HEAD).first()
    seq, digest = (found.chain_seq, found.hash) if found else (0, GENESIS)
    return seq, digest, _unsealed(connection)


def _unsealed(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(events).where(events.c.chain_seq.is_(None))).scalar_one()
