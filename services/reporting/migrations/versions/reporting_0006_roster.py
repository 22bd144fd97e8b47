"""The roster: each institution of each edition once per role (named, trained, visited, adopted), since its earliest
event, filled from the facts already kept, so a programme's totals count distinct institutions without reading every fact.

The facts hold every event the roster needs, so the backfill is exact: no consumer group is renamed, nothing is read
again from the topics.

Revision ID: reporting_0006
Revises: reporting_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "reporting_0006"
down_revision = "reporting_0005"
branch_labels = None
depends_on = None

BACKFILL = """
    INSERT INTO roster (edition_id, role, institution_id, first_at)
    SELECT edition_id, role, institution_id, min(at) FROM (
        SELECT edition_id, 'named' AS role, institution_id, proposed_at AS at FROM partnership_institutions
        UNION ALL SELECT edition_id, 'named', institution_id, enrolled_at FROM enrolments
        UNION ALL SELECT edition_id, 'trained', institution_id, held_at FROM training_attendance
        UNION ALL SELECT edition_id, 'visited', institution_id, visited_at FROM monitoring_visits
        UNION ALL SELECT edition_id, 'adopted', institution_id, adopted_at FROM enrolments
    ) AS stated
    WHERE at IS NOT NULL
    GROUP BY edition_id, role, institution_id
"""


def upgrade() -> None:
    op.create_table(
        "roster",
        sa.Column("edition_id", sa.String(36), primary_key=True),
        sa.Column("role", sa.String(16), primary_key=True),
        sa.Column("institution_id", sa.String(36), primary_key=True),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("roster")
