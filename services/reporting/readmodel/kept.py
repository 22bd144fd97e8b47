"""What the projection keeps beside the facts for fast reads, in the transaction of the facts: each edition's summary as it
stands now, and the roster a programme's totals count distinct institutions in.
"""

from enum import StrEnum

from sqlalchemy import Column, String, Table, Text

from infra.db.statements import UtcDateTime
from services.reporting.readmodel.stages import metadata

current_summaries = Table(
    "current_summaries",
    metadata,
    Column("edition_id", String(36), primary_key=True),
    Column("summary", Text, nullable=False),
    # A new uuid each time the summary is kept, never the same twice: what a programme's total read now is remembered by.
    # A replay keeps its own, so the audit does not compare it.
    Column("version", String(32), info={"compared": False}),
)
"""Each edition's summary as it stands now, kept by the projection in the transaction of its facts (fast reads)."""


class Role(StrEnum):
    """What an institution was to an edition, as a total across editions counts it once (a row of the roster)."""

    NAMED = "named"  # in a partnership proposed in the edition, or enrolled in it: institutions.*
    TRAINED = "trained"  # attended a training: training.institutions_trained
    VISITED = "visited"  # visited by a trainer: training.institutions_visited
    ADOPTED = "adopted"  # adopted its volunteering programme: training.programmes_adopted


roster = Table(
    "roster",
    metadata,
    Column("edition_id", String(36), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    # The earliest event that made it so: a moment's roster is a WHERE on it; the projector keeps the earliest, whatever the order.
    Column("first_at", UtcDateTime, nullable=False),
)
"""Each institution of each edition once per role, however many partnerships, trainings or visits name it: a programme's
total across editions counts distinct institutions here, a row per edition and institution instead of one per fact."""
