"""Volunteers' read model, their keys, and what the service knows of institutions and editions.

Revision ID: volunteers_0001
Revises:
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "volunteers_0001"
down_revision = None
branch_labels = ("volunteers",)
depends_on = "infra_0001"


def upgrade() -> None:
    op.create_table(
        "volunteers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("first_name", sa.Text),
        sa.Column("last_name", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("phone", sa.Text),
        sa.Column("erased", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("volunteer_id", sa.String(36), nullable=False),
        sa.Column("institution_id", sa.String(36), nullable=False),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("partnership_id", sa.String(36)),
        sa.Column("joined_on", sa.Date, nullable=False),
        sa.Column("left_on", sa.Date),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_memberships_volunteer_id", "memberships", ["volunteer_id"])
    op.create_index("ix_memberships_institution_edition", "memberships", ["institution_id", "edition_id"])
    op.create_table(
        "known_institutions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("district", sa.String(32), nullable=False),
    )
    op.create_table(
        "known_editions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("programme", sa.String(32)),
        sa.Column("year", sa.Integer),
        sa.Column("opened", sa.Boolean, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
    )
    op.create_table(
        "known_partnerships",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("edition_id", sa.String(36), nullable=False),
        sa.Column("institution_ids", sa.Text),
        sa.Column("proposed", sa.Boolean, nullable=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
    )
    op.create_table(
        "volunteer_keys",
        sa.Column("volunteer_id", sa.String(36), primary_key=True),
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("email_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    secrets_table = op.create_table(
        "service_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.LargeBinary, nullable=False),
    )
    op.bulk_insert(secrets_table, [{"name": "email_digest", "value": secrets.token_bytes(32)}])


def downgrade() -> None:
    for table in (
        "service_secrets", "volunteer_keys", "known_partnerships", "known_editions", "known_institutions",
        "memberships", "volunteers",
    ):
        op.drop_table(table)
