"""The outbox keeps each event's trace context for the relay to send on; the store gets an identity its messages name
(a backup keeps it), and the chain records the links a restore could not bring back.

Revision ID: infra_0005
Revises: infra_0004
"""

import datetime
import uuid

import sqlalchemy as sa
from alembic import op

revision = "infra_0005"
down_revision = "infra_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("traceparent", sa.String(64)))
    identity = op.create_table(
        "store_identity",
        sa.Column("log_id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(identity, [{"log_id": str(uuid.uuid4()), "created_at": datetime.datetime.now(datetime.timezone.utc)}])
    op.create_table(
        "chain_gaps",
        sa.Column("first_seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chain_gaps")
    op.drop_table("store_identity")
    op.drop_column("outbox", "traceparent")
