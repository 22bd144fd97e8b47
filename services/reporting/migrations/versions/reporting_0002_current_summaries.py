"""Each edition's current summary, kept by the projection so a summary is read with one lookup.

Revision ID: reporting_0002
Revises: reporting_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0002"
down_revision = "reporting_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Left empty: a summary not kept yet is computed from the facts on reading, and kept from the next event on.
    op.create_table(
        "current_summaries",
        sa.Column("edition_id", sa.String(36), primary_key=True),
        sa.Column("summary", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("current_summaries")
