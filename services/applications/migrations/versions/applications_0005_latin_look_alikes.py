"""Cyrillic and Greek look-alikes of Latin letters are those letters in a name's key: each key folded again.

Revision ID: applications_0005
Revises: applications_0004
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

from services.applications.domain.institutions import NAME_KEY_LENGTH, normalised_name

revision = "applications_0005"
down_revision = "applications_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _fold_keys(normalised_name)


def downgrade() -> None:
    _fold_keys(_folded_as_in_0004)


def _fold_keys(key) -> None:
    # The key as the projection writes it at this revision, so an audit replay of the log finds the same read model.
    bind = op.get_bind()
    for row in bind.execute(sa.text("SELECT id, name, name_key FROM institutions")).all():
        if (new := key(row.name)) != row.name_key:
            bind.execute(sa.text("UPDATE institutions SET name_key = :key WHERE id = :id"), {"key": new, "id": row.id})


def _folded_as_in_0004(name: str) -> str:
    compatible = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join("".join(c for c in compatible if unicodedata.category(c) != "Cf").split())[:NAME_KEY_LENGTH]
