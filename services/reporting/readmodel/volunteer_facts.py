"""Volunteers in editions: their memberships and their approved hours (counts and totals only, nothing personal)."""

from sqlalchemy import Column, Date, Index, String, Table

from services.reporting.readmodel.stages import Centihours, Stage, event_columns, metadata

approved_hours = Table(
    "approved_hours",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("volunteer_id", String(36), nullable=False),
    Column("edition_id", String(36), nullable=False),
    Column("institution_id", String(36)),
    Column("month", String(7)),
    Column("hours_ch", Centihours),
    *event_columns(Stage.APPROVED),
    Index("ix_approved_hours_edition", "edition_id"),
)
"""Volunteers' hours as approved, one row per entry (VolunteerHoursApproved): only the total is reported."""

memberships = Table(
    "memberships",
    metadata,
    Column("membership_id", String(36), primary_key=True),
    Column("volunteer_id", String(36), nullable=False),
    Column("edition_id", String(36), nullable=False),
    Column("institution_id", String(36)),
    Column("partnership_id", String(36)),
    Column("joined_on", Date),
    *event_columns(Stage.JOINED),
    Column("left_on", Date),
    *event_columns(Stage.LEFT),
    Index("ix_memberships_edition", "edition_id", "volunteer_id", "joined_at", "left_at"),
)
