"""The outbox rings the relay: a commit that added outbox rows notifies channel ochotnicy_outbox (PostgreSQL).

Revision ID: infra_0003
Revises: infra_0002
"""

from alembic import op

revision = "infra_0003"
down_revision = "infra_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has one process and no NOTIFY: its relay polls
    op.execute(
        """
        CREATE FUNCTION ochotnicy_ring_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- Delivered at commit, once per transaction however many statements ring.
            PERFORM pg_notify('ochotnicy_outbox', '');
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER outbox_rings AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION ochotnicy_ring_outbox()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS outbox_rings ON outbox")
    op.execute("DROP FUNCTION IF EXISTS ochotnicy_ring_outbox()")
