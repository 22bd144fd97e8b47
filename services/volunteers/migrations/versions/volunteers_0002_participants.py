"""Which institutions take part in which editions (enrolled, or partners of a proposal), from applications' events.

Revision ID: volunteers_0002
Revises: volunteers_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "volunteers_0002"
down_revision = "volunteers_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Filled by the consumer of applications' events under a new group name (services.volunteers.spec),
    # which reads the topic from its start: the first group had read the enrolments, and dropped them.
    op.create_table(
        "known_participants",
        sa.Column("edition_id", sa.String(36), primary_key=True),
        sa.Column("institution_id", sa.String(36), primary_key=True),
        sa.Column("via", sa.String(36), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("known_participants")
