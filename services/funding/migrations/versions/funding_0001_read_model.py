"""Read model of the funding service: editions' rules and funding cases.

Revision ID: funding_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "funding_0001"
down_revision = None
branch_labels = ("funding",)
depends_on = "infra_0001"


def upgrade() -> None:
    op.create_table(
        "editions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("known", sa.Boolean, nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("programme", sa.String(32)),
        sa.Column("year", sa.Integer),
        sa.Column("round", sa.String(16)),
        sa.Column("kind", sa.String(16)),
        sa.Column("mal_required", sa.Boolean),
        sa.Column("grant_caps", sa.Text),
        sa.Column("budget", sa.Numeric(14, 2)),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("proposed", sa.Boolean, nullable=False),
        sa.Column("title", sa.String(200)),
        sa.Column("lead_institution_id", sa.String(36)),
        sa.Column("institution_ids", sa.Text),
        sa.Column("size", sa.Integer),
        sa.Column("requested_amount", sa.Numeric(14, 2)),
        sa.Column("proposed_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("withdrawn_reason", sa.Text),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("mal_status", sa.String(16), nullable=False),
        sa.Column("mal_sequence", sa.Integer, nullable=False),
        sa.Column("mal_institution_id", sa.String(36)),
        sa.Column("mal_reason", sa.Text),
        sa.Column("mal_at", sa.DateTime(timezone=True)),
        sa.Column("decision", sa.String(16)),
        sa.Column("granted_amount", sa.Numeric(14, 2)),
        sa.Column("granted_cap", sa.Numeric(14, 2)),
        sa.Column("rejection_reason", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cases_edition_id", "cases", ["edition_id"])


def downgrade() -> None:
    op.drop_table("cases")
    op.drop_table("editions")
