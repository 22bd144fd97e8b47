"""Tables every service database has: the event store, the outbox and the consumer record."""

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from infra.db.statements import UtcDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY.
Position = BigInteger().with_variant(Integer, "sqlite")

metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("position", Position, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("aggregate_type", String(64), nullable=False),
    Column("aggregate_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(100), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("topic", String(100)),
    Column("data", Text, nullable=False),
    Column("meta", Text, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("chain_seq", BigInteger, unique=True),
    Column("prev_hash", String(64)),
    Column("hash", String(64)),
    UniqueConstraint("aggregate_id", "version", name="uq_events_aggregate_version"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Position, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("topic", String(100), nullable=False),
    Column("key", String(64), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("published_at", UtcDateTime),
    Column("traceparent", String(64)),
    Index(
        "ix_outbox_unpublished",
        "id",
        postgresql_where=text("published_at IS NULL"),
        sqlite_where=text("published_at IS NULL"),
    ),
)

store_identity = Table(
    "store_identity",
    metadata,
    Column("log_id", String(36), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
)
"""One row, made with the database: the id of this store's log, which every message the relay sends names. A backup
keeps it, so a restored store knows its own events on a topic that other stores (tests) may share."""

chain_gaps = Table(
    "chain_gaps",
    metadata,
    Column("first_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
)
"""Chain sequences a restore could not bring back (`ochotnicy recover`): never used again, and verify knows why."""

processed_events = Table(
    "processed_events",
    metadata,
    Column("consumer", String(100), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("topic", String(100), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("processed_at", UtcDateTime, nullable=False),
)

relay_topics = Table(
    "relay_topics",
    metadata,
    Column("topic", String(100), primary_key=True),
    Column("topic_id", String(64), nullable=False),
)
"""Which incarnation of each topic the published outbox rows live in (a restarted Tansu makes new ones)."""

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("principal", String(200), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("method", String(10), nullable=False),
    Column("path", String(500), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status", Integer),
    Column("body", LargeBinary),
    Column("headers", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("aggregate_id", String(200), index=True),
)
"""The first answer to each Idempotency-Key, per caller; claimed in the transaction of the command it guards."""

snapshots = Table(
    "snapshots",
    metadata,
    Column("aggregate_id", String(64), primary_key=True),
    Column("aggregate_type", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("format", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("taken_at", UtcDateTime, nullable=False),
)
"""The latest snapshot of each aggregate that keeps them (its class says how often): derived from the events, written in
their transaction, so a restore brings back the two together; deleting a row only makes the next load read further."""
