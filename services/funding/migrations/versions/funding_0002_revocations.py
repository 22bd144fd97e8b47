"""Grants taken back (FundingRevoked): why and when, on the case row.

Revision ID: funding_0002
Revises: funding_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "funding_0002"
down_revision = "funding_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("revoked_reason", sa.Text()))
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("revoked_reason")
