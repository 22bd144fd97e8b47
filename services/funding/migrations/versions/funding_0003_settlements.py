"""Final reports of grants (SettlementSubmitted, SettlementReturned, FundingSettled): each report, and the case's state.

Revision ID: funding_0003
Revises: funding_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "funding_0003"
down_revision = "funding_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("settlement", sa.String(16)))
        batch.add_column(sa.Column("spent_amount", sa.Numeric(14, 2)))
        batch.add_column(sa.Column("returned_amount", sa.Numeric(14, 2)))
        batch.add_column(sa.Column("settled_at", sa.DateTime(timezone=True)))
    op.create_table(
        "settlements",
        sa.Column("partnership_id", sa.String(36), primary_key=True),
        sa.Column("sequence", sa.Integer, primary_key=True),
        sa.Column("spent_amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("volunteers_engaged", sa.Integer, nullable=False),
        sa.Column("hours", sa.Numeric(10, 2), nullable=False),
        sa.Column("submitted_on", sa.Date, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16)),
        sa.Column("reason", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("settlements")
    with op.batch_alter_table("cases") as batch:
        for column in ("settled_at", "returned_amount", "spent_amount", "settlement"):
            batch.drop_column(column)
