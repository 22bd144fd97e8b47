"""Event store, outbox, processed-event record and the relay's topic incarnations.

Revision ID: infra_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "infra_0001"
down_revision = None
branch_labels = ("infra",)
depends_on = None

Position = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("position", Position, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("aggregate_type", sa.String(64), nullable=False),
        sa.Column("aggregate_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("topic", sa.String(100)),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chain_seq", sa.BigInteger, unique=True),
        sa.Column("prev_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
        sa.UniqueConstraint("aggregate_id", "version", name="uq_events_aggregate_version"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", Position, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "relay_topics",
        sa.Column("topic", sa.String(100), primary_key=True),
        sa.Column("topic_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("relay_topics", "processed_events", "outbox", "events"):
        op.drop_table(table)
