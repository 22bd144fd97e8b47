"""The library programme as it runs: an enrolment's version, programme and withdrawal; trainings and monitoring visits.

Revision ID: applications_0003
Revises: applications_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "applications_0003"
down_revision = "applications_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Until now an enrolment had one event, its enrolment: version 1, nothing adopted, nobody withdrawn.
    with op.batch_alter_table("enrolments") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("programme_adopted_on", sa.Date))
        batch.add_column(sa.Column("withdrawn_reason", sa.Text))
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True)))
    op.create_table(
        "trainings",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("hours", sa.Numeric(12, 2), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_trainings_edition_id", "trainings", ["edition_id"])
    op.create_table(
        "training_attendance",
        sa.Column("training_id", sa.String(36), primary_key=True),
        sa.Column("institution_id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
    )
    op.create_index("ix_training_attendance_edition_institution", "training_attendance", ["edition_id", "institution_id"])
    op.create_table(
        "monitoring_visits",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("institution_id", sa.String(36), nullable=False),
        sa.Column("visited_on", sa.Date, nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_monitoring_visits_edition_institution", "monitoring_visits", ["edition_id", "institution_id"])


def downgrade() -> None:
    for table in ("monitoring_visits", "training_attendance", "trainings"):
        op.drop_table(table)
    with op.batch_alter_table("enrolments") as batch:
        for column in ("withdrawn_at", "withdrawn_reason", "programme_adopted_on", "version"):
            batch.drop_column(column)
