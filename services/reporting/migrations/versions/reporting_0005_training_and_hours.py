"""The library programme as it runs: trainings and who attended, monitoring visits, adopted programmes and withdrawals
on the enrolments, and volunteers' approved hours.

Revision ID: reporting_0005
Revises: reporting_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0005"
down_revision = "reporting_0004"
branch_labels = None
depends_on = None


def _event(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}_event", sa.String(36)),
        sa.Column(f"{prefix}_subject", sa.String(64)),
        sa.Column(f"{prefix}_at", sa.DateTime(timezone=True)),
    ]


def _enrolment_columns() -> list[sa.Column]:
    """New each time: a column joins the table it is added to (migrations run once per database, several in a process)."""
    return [sa.Column("adopted_on", sa.Date), *_event("adopted"), sa.Column("withdrawn_reason", sa.Text), *_event("withdrawn")]


def upgrade() -> None:
    with op.batch_alter_table("enrolments") as table:
        for column in _enrolment_columns():
            table.add_column(column)
    op.create_table(
        "trainings",
        sa.Column("training_id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16)),
        sa.Column("title", sa.String(200)),
        sa.Column("held_on", sa.Date),
        sa.Column("hours_ch", sa.BigInteger),
        *_event("held"),
    )
    op.create_index("ix_trainings_edition", "trainings", ["edition_id"])
    op.create_table(
        "training_attendance",
        sa.Column("training_id", sa.String(36), primary_key=True),
        sa.Column("institution_id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        *_event("held"),
    )
    op.create_index("ix_training_attendance_edition", "training_attendance", ["edition_id", "institution_id"])
    op.create_table(
        "monitoring_visits",
        sa.Column("visit_id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("institution_id", sa.String(36), nullable=False),
        sa.Column("visited_on", sa.Date),
        sa.Column("stage", sa.String(16)),
        *_event("visited"),
    )
    op.create_index("ix_monitoring_visits_edition", "monitoring_visits", ["edition_id", "institution_id"])
    op.create_table(
        "approved_hours",
        sa.Column("entry_id", sa.String(36), primary_key=True),
        sa.Column("volunteer_id", sa.String(36), nullable=False),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("institution_id", sa.String(36)),
        sa.Column("month", sa.String(7)),
        sa.Column("hours_ch", sa.BigInteger),
        *_event("approved"),
    )
    op.create_index("ix_approved_hours_edition", "approved_hours", ["edition_id"])
    # The kept summaries lack the training figures and the approved hours: dropped, each is computed from the facts on
    # reading until its edition's next event keeps it again (the renamed consumer group reads every topic anew).
    op.execute("DELETE FROM current_summaries")


def downgrade() -> None:
    for name, index in (("approved_hours", "ix_approved_hours_edition"), ("monitoring_visits", "ix_monitoring_visits_edition"),
                        ("training_attendance", "ix_training_attendance_edition"), ("trainings", "ix_trainings_edition")):
        op.drop_index(index, name)
        op.drop_table(name)
    with op.batch_alter_table("enrolments") as table:
        for column in reversed(_enrolment_columns()):
            table.drop_column(column.name)
