"""Partnerships and enrolments naming an institution found by an index: a registration's lookup scanned them whole.

Revision ID: reporting_0003
Revises: reporting_0002
"""

from alembic import op

revision = "reporting_0003"
down_revision = "reporting_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_partnership_institutions_institution", "partnership_institutions", ["institution_id"])
    op.create_index("ix_enrolments_institution", "enrolments", ["institution_id"])


def downgrade() -> None:
    op.drop_index("ix_enrolments_institution", "enrolments")
    op.drop_index("ix_partnership_institutions_institution", "partnership_institutions")
