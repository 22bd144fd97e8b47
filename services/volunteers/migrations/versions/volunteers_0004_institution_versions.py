"""Which version of each institution the service knows (corrections of the register arrive as InstitutionDetailsChanged).

Revision ID: volunteers_0004
Revises: volunteers_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "volunteers_0004"
down_revision = "volunteers_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every institution known so far came from its registration, the first event of its stream.
    with op.batch_alter_table("known_institutions") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("known_institutions") as batch:
        batch.drop_column("version")
