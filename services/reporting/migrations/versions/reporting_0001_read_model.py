"""Read model of the reporting service: fact tables stamped with the events that stated them.

Revision ID: reporting_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0001"
down_revision = None
branch_labels = ("reporting",)
depends_on = "infra_0001"


def _event(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}_event", sa.String(36)),
        sa.Column(f"{prefix}_subject", sa.String(64)),
        sa.Column(f"{prefix}_at", sa.DateTime(timezone=True)),
    ]


def upgrade() -> None:
    op.create_table(
        "editions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("programme", sa.String(32)),
        sa.Column("name", sa.String(200)),
        sa.Column("year", sa.Integer),
        sa.Column("round", sa.String(16)),
        sa.Column("kind", sa.String(16)),
        sa.Column("mal_required", sa.Boolean),
        sa.Column("budget_gr", sa.BigInteger),
        sa.Column("opens_on", sa.Date),
        sa.Column("closes_on", sa.Date),
        *_event("opened"),
        *_event("closed"),
    )
    op.create_table(
        "institutions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("kind", sa.String(32)),
        sa.Column("district", sa.String(32)),
        sa.Column("is_mal", sa.Boolean),
        *_event("registered"),
    )
    op.create_table(
        "partnerships",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(200)),
        sa.Column("lead_institution_id", sa.String(36)),
        sa.Column("size", sa.Integer),
        sa.Column("requested_gr", sa.BigInteger),
        *_event("proposed"),
        sa.Column("withdrawn_reason", sa.Text),
        *_event("withdrawn"),
        sa.Column("mal_institution_id", sa.String(36)),
        *_event("mal_verified"),
        sa.Column("mal_failed_reason", sa.Text),
        *_event("mal_failed"),
        sa.Column("granted_gr", sa.BigInteger),
        sa.Column("cap_gr", sa.BigInteger),
        *_event("granted"),
        sa.Column("rejected_reason", sa.Text),
        *_event("rejected"),
    )
    op.create_index("ix_partnerships_edition", "partnerships", ["edition_id"])
    op.create_table(
        "partnership_institutions",
        sa.Column("partnership_id", sa.String(36), primary_key=True),
        sa.Column("institution_id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("lead", sa.Boolean),
        *_event("proposed"),
    )
    op.create_index(
        "ix_partnership_institutions_edition",
        "partnership_institutions",
        ["edition_id", "institution_id", "proposed_at"],
    )
    op.create_table(
        "enrolments",
        sa.Column("edition_id", sa.String(36), primary_key=True),
        sa.Column("institution_id", sa.String(36), primary_key=True),
        *_event("enrolled"),
    )
    op.create_table(
        "memberships",
        sa.Column("membership_id", sa.String(36), primary_key=True),
        sa.Column("volunteer_id", sa.String(36), nullable=False),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("institution_id", sa.String(36)),
        sa.Column("partnership_id", sa.String(36)),
        sa.Column("joined_on", sa.Date),
        *_event("joined"),
        sa.Column("left_on", sa.Date),
        *_event("left"),
    )
    op.create_index(
        "ix_memberships_edition", "memberships", ["edition_id", "volunteer_id", "joined_at", "left_at"]
    )


def downgrade() -> None:
    for table in ("memberships", "enrolments", "partnership_institutions", "partnerships", "institutions", "editions"):
        op.drop_table(table)
