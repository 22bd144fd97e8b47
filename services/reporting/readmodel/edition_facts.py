"""Each edition as opened and closed."""

from sqlalchemy import Boolean, Column, Date, Index, Integer, String, Table

from services.reporting.readmodel.stages import Grosze, Stage, event_columns, metadata

editions = Table(
    "editions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("programme", String(32)),
    Column("name", String(200)),
    Column("year", Integer),
    Column("round", String(16)),
    Column("kind", String(16)),
    Column("mal_required", Boolean),
    Column("budget_gr", Grosze),
    Column("opens_on", Date),
    Column("closes_on", Date),
    *event_columns(Stage.OPENED),
    *event_columns(Stage.CLOSED),
    Index("ix_editions_programme", "programme"),  # a programme's editions and their summaries' versions
)
