"""Answers kept for Idempotency-Keys, sealed with the key of the volunteer they are about (services.volunteers.answers).

Revision ID: volunteers_0006
Revises: volunteers_0005
"""

import re

import sqlalchemy as sa
from alembic import op

from services.volunteers.crypto import PREFIX, VolunteerCipher

revision = "volunteers_0006"
down_revision = "volunteers_0005"
branch_labels = None
depends_on = "infra_0004"

FIELD = "idempotency_answer"  # services.volunteers.answers.FIELD, as it stood when this migration was written
FORGOTTEN = "forgotten"  # infra.idempotency.FORGOTTEN
_SUBJECT = re.compile(r"^/api/v1/volunteers/([0-9a-f-]{36})(/|$)")


def upgrade() -> None:
    # Until now a registration's answer (name, e-mail, phone) was kept in the clear; so was a correction that changed
    # nothing, without even the volunteer's id beside it. Each is sealed with its person's key, or forgotten when the
    # person is erased already (the service's connections overwrite what is replaced: PRAGMA secure_delete).
    keys = sa.table("idempotency_keys", sa.column("principal", sa.String), sa.column("key", sa.String),
                    sa.column("path", sa.String), sa.column("request_hash", sa.String), sa.column("status", sa.Integer),
                    sa.column("body", sa.LargeBinary), sa.column("headers", sa.Text), sa.column("aggregate_id", sa.String))
    volunteer_keys = sa.table("volunteer_keys", sa.column("volunteer_id", sa.String), sa.column("key", sa.LargeBinary))
    connection = op.get_bind()
    held = {r.volunteer_id: bytes(r.key) for r in connection.execute(sa.select(volunteer_keys))}
    rows = connection.execute(sa.select(keys.c.principal, keys.c.key, keys.c.path, keys.c.body, keys.c.aggregate_id)
                              .where(keys.c.body.is_not(None))).all()
    for row in rows:
        found = _SUBJECT.match(row.path)
        subject = row.aggregate_id or (found.group(1) if found else None)
        body = bytes(row.body)
        if subject is None or body.startswith(PREFIX.encode("ascii")):
            continue
        this = keys.c.principal == row.principal, keys.c.key == row.key
        if subject in held:
            sealed = VolunteerCipher(subject, held[subject]).seal_bytes(FIELD, body)
            connection.execute(sa.update(keys).where(*this).values(body=sealed, aggregate_id=subject))
        else:
            connection.execute(sa.update(keys).where(*this).values(request_hash=FORGOTTEN, status=410, body=None,
                                                                   headers=None, aggregate_id=subject))


def downgrade() -> None:
    pass  # a sealed answer stays sealed: opening them all again would put personal data back in the clear
