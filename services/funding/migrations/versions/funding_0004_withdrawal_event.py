"""Which PartnershipWithdrawn withdrew each case, so an auditor can find when funding applied it.

Revision ID: funding_0004
Revises: funding_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "funding_0004"
down_revision = "funding_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Cases withdrawn before this revision learn theirs again: the consumer's new group (spec.CONSUMER) reads from the start.
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("withdrawn_event", sa.String(36)))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("withdrawn_event")
