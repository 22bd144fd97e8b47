"""Each kept summary names the version it was kept as, rewritten in the transaction of every batch touching its edition,
so a programme's total read now is remembered until a version of its editions changes; editions found by programme.

Revision ID: reporting_0007
Revises: reporting_0006
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "reporting_0007"
down_revision = "reporting_0006"
branch_labels = None
depends_on = None


def _versioned(bind: sa.Connection) -> None:
    """A version for each summary kept so far, as the projection writes it (one a row: SQLite has no random hex)."""
    ids = bind.execute(sa.text("SELECT edition_id FROM current_summaries")).scalars().all()
    if ids:
        bind.execute(sa.text("UPDATE current_summaries SET version = :version WHERE edition_id = :id"),
                     [{"id": i, "version": uuid.uuid4().hex} for i in ids])


def upgrade() -> None:
    op.add_column("current_summaries", sa.Column("version", sa.String(32)))
    _versioned(op.get_bind())
    op.create_index("ix_editions_programme", "editions", ["programme"])


def downgrade() -> None:
    op.drop_index("ix_editions_programme", "editions")
    op.drop_column("current_summaries", "version")
