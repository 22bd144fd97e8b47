"""Look-alike names are one name: each institution's key folded again (NFKC, case, format characters), a longer key.

The key was held unique per district; names registered before look-alikes folded together may now share one, and the
log that holds them must still project, so it is an index now and the handler refuses a namesake under a lock.

Revision ID: applications_0004
Revises: applications_0003
"""

import sqlalchemy as sa
from alembic import op

from services.applications.domain.institutions import normalised_name

revision = "applications_0004"
down_revision = "applications_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("institutions") as batch:
        batch.drop_constraint("uq_institutions_name_district", type_="unique")
        batch.alter_column("name_key", type_=sa.String(400), existing_type=sa.String(200), existing_nullable=False)
        batch.create_index("ix_institutions_name_district", ["name_key", "district"])
    bind = op.get_bind()
    for row in bind.execute(sa.text("SELECT id, name FROM institutions")).all():
        # The key as the projection now writes it, so an audit replay of the log finds the same read model.
        bind.execute(sa.text("UPDATE institutions SET name_key = :key WHERE id = :id"),
                     {"key": normalised_name(row.name), "id": row.id})


def downgrade() -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.text("SELECT id, name FROM institutions")).all():
        bind.execute(sa.text("UPDATE institutions SET name_key = :key WHERE id = :id"),
                     {"key": " ".join(row.name.split()).casefold()[:200], "id": row.id})
    with op.batch_alter_table("institutions") as batch:
        batch.drop_index("ix_institutions_name_district")
        batch.alter_column("name_key", type_=sa.String(200), existing_type=sa.String(400), existing_nullable=False)
        batch.create_unique_constraint("uq_institutions_name_district", ["name_key", "district"])
