"""The register of institutions: each institution as registered, and each correction of its details."""

from sqlalchemy import Boolean, Column, Index, String, Table

from infra.db.statements import UtcDateTime
from services.reporting.readmodel.stages import Stage, event_columns, metadata

institutions = Table(
    "institutions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200)),
    Column("kind", String(32)),
    Column("district", String(32)),
    Column("is_mal", Boolean),
    *event_columns(Stage.REGISTERED),
)
"""Each institution as registered; corrections are kept apart (institution_changes), so a past moment keeps its details."""

institution_changes = Table(
    "institution_changes",
    metadata,
    # One row per correction: the institution's full details from the correction's time on.
    Column("institution_id", String(36), primary_key=True),
    Column("changed_event", String(36), primary_key=True),
    Column("changed_subject", String(64)),
    Column("changed_at", UtcDateTime),
    Column("name", String(200)),
    Column("kind", String(32)),
    Column("district", String(32)),
    Column("is_mal", Boolean),
    Index("ix_institution_changes_institution", "institution_id", "changed_at"),
)
