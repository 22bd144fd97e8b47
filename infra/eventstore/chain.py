"""Tamper evidence: the service's log chained by hash, in the order the log became visible.

The relay's leader seals committed events one after another: each record gets the next chain
sequence, the hash of the record before it, and its own hash over its content and that link.
Editing, removing or reordering a sealed record breaks the chain from there on.

After a restore, `place` seals the events recovered from Kafka at the sequences Kafka saw them under
(the feed's cursors name them); the sequences neither the backup nor Kafka holds are recorded as gaps
(`chain_gaps`), which `verify` accepts and counts, and which are never used again.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Mapping

from sqlalchemy import Connection, bindparam, func, insert, select

from infra.db.statements import built_once, bulk_update
from infra.eventstore.tables import chain_gaps, events, store_identity

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


def place(connection: Connection, sequences: Mapping[int, int], reason: str) -> list[tuple[int, int]]:
    """Seals the events at these positions with these chain sequences (all beyond the head), linking each to the one
    before it; records the sequences skipped as gaps, for `reason`, and returns them as (first, last) ranges."""
    head = connection.execute(_HEAD).first()
    seq, prev = (head.chain_seq, head.hash) if head else (0, GENESIS)
    rows = connection.execute(select(*_CONTENT).where(events.c.position.in_(list(sequences)))).all()
    updates, gaps = [], []
    for row in sorted(rows, key=lambda r: sequences[r.position]):
        placed = sequences[row.position]
        if placed <= seq:
            raise ValueError(f"chain sequence {placed} is not beyond the head {seq}")
        if placed > seq + 1:
            gaps.append((seq + 1, placed - 1))
        digest = record_hash(row, prev)
        updates.append({"position": row.position, "chain_seq": placed, "prev_hash": prev, "hash": digest})
        seq, prev = placed, digest
    if updates:
        bulk_update(connection, events, updates, "position")
    now = datetime.datetime.now(datetime.timezone.utc)
    if gaps:
        connection.execute(insert(chain_gaps), [{"first_seq": first, "last_seq": last, "recorded_at": now, "reason": reason}
                                                for first, last in gaps])
    return gaps


@dataclasses.dataclass(frozen=True)
class ChainReport:
    """What `verify` found: how many links hold, the first broken one, events not yet sealed, links a restore lost."""

    sealed: int
    unsealed: int
    broken_at: int | None = None
    event_id: str | None = None
    reason: str | None = None
    lost: int = 0
    """Sequences a recovery recorded as gaps (`chain_gaps`): the links around them still hold."""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(connection: Connection, *, batch: int = 10_000) -> ChainReport:
    """Walks the chain from the start; names the first link that does not hold (a recorded gap is not a break)."""
    prev, expected_seq, checked, last, lost = GENESIS, 1, 0, 0, 0
    gaps = {r.first_seq: r.last_seq for r in connection.execute(select(chain_gaps.c.first_seq, chain_gaps.c.last_seq))}
    while True:
        rows = connection.execute(
            select(*_CONTENT, events.c.chain_seq, events.c.prev_hash, events.c.hash)
            .where(events.c.chain_seq > last)
            .order_by(events.c.chain_seq)
            .limit(batch)
        ).all()
        for row in rows:
            problem = None
            if row.chain_seq != expected_seq and gaps.get(expected_seq) == row.chain_seq - 1:
                lost += row.chain_seq - expected_seq
                expected_seq = row.chain_seq
            if row.chain_seq != expected_seq:
                problem = f"brak ogniwa {expected_seq} (następne znalezione: {row.chain_seq}): zapis usunięto"
            elif row.prev_hash != prev:
                problem = "nie wskazuje na zapis przed nim: zapis usunięto, wstawiono albo przestawiono"
            elif record_hash(row, prev) != row.hash:
                problem = "jego treść nie zgadza się już z jego skrótem: zapis zmieniono"
            if problem:
                return ChainReport(checked, _unsealed(connection), row.chain_seq, row.event_id, problem, lost)
            prev, expected_seq, checked, last = row.hash, expected_seq + 1, checked + 1, row.chain_seq
        if len(rows) < batch:
            return ChainReport(checked, _unsealed(connection), lost=lost)


def head(connection: Connection) -> tuple[int, str, int]:
    """The newest sealed link (its sequence, 0 before the first seal, and hash) and how many events wait to be sealed."""
    found = connection.execute(_HEAD).first()
    seq, digest = (found.chain_seq, found.hash) if found else (0, GENESIS)
    return seq, digest, _unsealed(connection)


def log_id(connection: Connection) -> str:
    """The id of this store's log (`store_identity`), which the relay's messages name beside each chain sequence."""
    return connection.execute(select(store_identity.c.log_id)).scalar_one()


def _unsealed(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(events).where(events.c.chain_seq.is_(None))).scalar_one()
