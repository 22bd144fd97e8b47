"""Revoked and settled grants on the partnerships, the steps of final reports, and corrections of institutions' details.

Revision ID: reporting_0004
Revises: reporting_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0004"
down_revision = "reporting_0003"
branch_labels = None
depends_on = None


def _event(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}_event", sa.String(36)),
        sa.Column(f"{prefix}_subject", sa.String(64)),
        sa.Column(f"{prefix}_at", sa.DateTime(timezone=True)),
    ]


def _partnership_columns() -> list[sa.Column]:
    """New each time: a column joins the table it is added to (migrations run once per database, several in a process)."""
    return [
        sa.Column("revoked_gr", sa.BigInteger),
        sa.Column("revoked_reason", sa.Text),
        *_event("revoked"),
        sa.Column("settled_granted_gr", sa.BigInteger),
        sa.Column("spent_gr", sa.BigInteger),
        sa.Column("returned_gr", sa.BigInteger),
        *_event("settled"),
    ]


def upgrade() -> None:
    with op.batch_alter_table("partnerships") as table:
        for column in _partnership_columns():
            table.add_column(column)
    op.create_table(
        "institution_changes",
        sa.Column("institution_id", sa.String(36), primary_key=True),
        sa.Column("changed_event", sa.String(36), primary_key=True),
        sa.Column("changed_subject", sa.String(64)),
        sa.Column("changed_at", sa.DateTime(timezone=True)),
        sa.Column("name", sa.String(200)),
        sa.Column("kind", sa.String(32)),
        sa.Column("district", sa.String(32)),
        sa.Column("is_mal", sa.Boolean),
    )
    op.create_index("ix_institution_changes_institution", "institution_changes", ["institution_id", "changed_at"])
    op.create_table(
        "settlement_steps",
        sa.Column("step_event", sa.String(36), primary_key=True),
        sa.Column("step_subject", sa.String(64)),
        sa.Column("step_at", sa.DateTime(timezone=True)),
        sa.Column("partnership_id", sa.String(36), nullable=False),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("spent_gr", sa.BigInteger),
        sa.Column("submitted_on", sa.Date),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_settlement_steps_partnership", "settlement_steps", ["partnership_id", "step_at"])
    # The kept summaries lack the new figures: dropped, each is computed from the facts on reading until its
    # edition's next event keeps it again (the renamed consumer group reads every topic anew, so that comes soon).
    op.execute("DELETE FROM current_summaries")


def downgrade() -> None:
    op.drop_index("ix_settlement_steps_partnership", "settlement_steps")
    op.drop_table("settlement_steps")
    op.drop_index("ix_institution_changes_institution", "institution_changes")
    op.drop_table("institution_changes")
    with op.batch_alter_table("partnerships") as table:
        for column in reversed(_partnership_columns()):
            table.drop_column(column.name)
