"""Idempotency keys name the aggregate their command changed, so an erasure can forget their answers.

Revision ID: infra_0004
Revises: infra_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "infra_0004"
down_revision = "infra_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("idempotency_keys", sa.Column("aggregate_id", sa.String(200)))
    op.create_index("ix_idempotency_keys_aggregate_id", "idempotency_keys", ["aggregate_id"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_aggregate_id", table_name="idempotency_keys")
    op.drop_column("idempotency_keys", "aggregate_id")
