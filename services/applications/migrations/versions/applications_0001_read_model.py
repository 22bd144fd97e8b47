"""Read model of the applications service.

Revision ID: applications_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "applications_0001"
down_revision = None
branch_labels = ("applications",)
depends_on = "infra_0001"


def upgrade() -> None:
    op.create_table(
        "editions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("programme", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("round", sa.String(16)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("mal_required", sa.Boolean, nullable=False),
        sa.Column("grant_caps", sa.Text, nullable=False),
        sa.Column("budget", sa.Numeric(14, 2)),
        sa.Column("opens_on", sa.Date, nullable=False),
        sa.Column("closes_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "institutions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("district", sa.String(32), nullable=False),
        sa.Column("is_mal", sa.Boolean, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name_key", "district", name="uq_institutions_name_district"),
    )
    op.create_table(
        "partnerships",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("lead_institution_id", sa.String(36), nullable=False),
        sa.Column("institution_ids", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("requested_amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("mal_status", sa.String(16), nullable=False),
        sa.Column("mal_institution_id", sa.String(36)),
        sa.Column("mal_reason", sa.Text),
        sa.Column("withdrawn_reason", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_partnerships_edition_id", "partnerships", ["edition_id"])
    op.create_table(
        "enrolments",
        sa.Column("edition_id", sa.String(36), primary_key=True),
        sa.Column("institution_id", sa.String(36), primary_key=True),
        sa.Column("enrolment_id", sa.String(36), nullable=False, unique=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("enrolments", "partnerships", "institutions", "editions"):
        op.drop_table(table)
