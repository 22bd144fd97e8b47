"""The personal-data access log: who read, registered or erased whose data, and when (no personal data in it).

Revision ID: volunteers_0003
Revises: volunteers_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "volunteers_0003"
down_revision = "volunteers_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_data_access",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("volunteer_id", sa.String(36), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_personal_data_access_volunteer_id", "personal_data_access", ["volunteer_id"])


def downgrade() -> None:
    op.drop_table("personal_data_access")
