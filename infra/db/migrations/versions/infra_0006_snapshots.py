"""Snapshots of long-lived aggregates (an edition's budget gains an event per grant), so a load reads only what follows.

Revision ID: infra_0006
Revises: infra_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "infra_0006"
down_revision = "infra_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("aggregate_id", sa.String(64), primary_key=True),
        sa.Column("aggregate_type", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("format", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("snapshots")
