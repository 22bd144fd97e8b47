"""Hours of memberships, the paperwork of each membership, and the volunteers' birth dates (sealed).

Revision ID: volunteers_0005
Revises: volunteers_0004
"""

import datetime

import sqlalchemy as sa
from alembic import op

revision = "volunteers_0005"
down_revision = "volunteers_0004"
branch_labels = None
depends_on = None

SHORT_ENGAGEMENT_DAYS = 30  # services.volunteers.domain.paperwork's, as it stood when this migration was written


def upgrade() -> None:
    with op.batch_alter_table("volunteers") as batch:
        batch.add_column(sa.Column("birth_date", sa.Text))
    with op.batch_alter_table("memberships") as batch:
        batch.add_column(sa.Column("agreement_signed_on", sa.Date))
        batch.add_column(sa.Column("accident_insurance", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("guardian_consent", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("minor", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("long_from", sa.Date))
    # Memberships so far carry no paperwork (none was recorded) and no minors (no birth date was kept); each one's
    # long_from is its joining day + 30, as the projection writes it.
    memberships = sa.table("memberships", sa.column("id", sa.String), sa.column("joined_on", sa.Date),
                           sa.column("long_from", sa.Date))
    connection = op.get_bind()
    rows = connection.execute(sa.select(memberships.c.id, memberships.c.joined_on)).all()
    for row in rows:
        connection.execute(sa.update(memberships).where(memberships.c.id == row.id)
                           .values(long_from=row.joined_on + datetime.timedelta(days=SHORT_ENGAGEMENT_DAYS)))
    with op.batch_alter_table("memberships") as batch:
        batch.alter_column("long_from", existing_type=sa.Date, nullable=False)
    op.create_table(
        "hours_entries",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("volunteer_id", sa.String(36), nullable=False),
        sa.Column("membership_id", sa.String(36), nullable=False),
        sa.Column("institution_id", sa.String(36), nullable=False),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("hours", sa.Numeric(9, 2), nullable=False),
        sa.Column("activity", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_hours_entries_volunteer_id", "hours_entries", ["volunteer_id"])
    op.create_index("ix_hours_entries_membership_id", "hours_entries", ["membership_id"])
    op.create_index("ix_hours_entries_status", "hours_entries", ["status"])


def downgrade() -> None:
    op.drop_table("hours_entries")
    with op.batch_alter_table("memberships") as batch:
        for column in ("long_from", "minor", "guardian_consent", "accident_insurance", "agreement_signed_on"):
            batch.drop_column(column)
    with op.batch_alter_table("volunteers") as batch:
        batch.drop_column("birth_date")
