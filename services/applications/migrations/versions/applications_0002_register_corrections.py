"""Corrections of the register: an institution's version (its ETag), and the MALs each proposal was judged on.

Revision ID: applications_0002
Revises: applications_0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "applications_0002"
down_revision = "applications_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Until now an institution had one event, its registration, and no correction had changed a MAL since a proposal.
    with op.batch_alter_table("institutions") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    with op.batch_alter_table("partnerships") as batch:
        batch.add_column(sa.Column("mal_partner_ids", sa.Text, nullable=False, server_default="[]"))
    bind = op.get_bind()
    mals = {row.id for row in bind.execute(sa.text("SELECT id FROM institutions WHERE is_mal"))}
    for row in bind.execute(sa.text("SELECT id, institution_ids FROM partnerships")).all():
        judged = [i for i in json.loads(row.institution_ids) if i in mals]
        if judged:
            # Written as the projection writes it (orjson: no spaces), so an audit replay finds it the same.
            bind.execute(sa.text("UPDATE partnerships SET mal_partner_ids = :judged WHERE id = :id"),
                         {"judged": json.dumps(judged, separators=(",", ":")), "id": row.id})


def downgrade() -> None:
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_column("mal_partner_ids")
    with op.batch_alter_table("institutions") as batch:
        batch.drop_column("version")
