"""Each partnership with its funding decisions, the institutions it names, and its final report's steps."""

from sqlalchemy import Boolean, Column, Date, Index, Integer, String, Table, Text

from infra.db.statements import UtcDateTime
from services.reporting.readmodel.stages import Grosze, Stage, event_columns, metadata

partnerships = Table(
    "partnerships",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    Column("title", String(200)),
    Column("lead_institution_id", String(36)),
    Column("size", Integer),
    Column("requested_gr", Grosze),
    *event_columns(Stage.PROPOSED),
    Column("withdrawn_reason", Text),
    *event_columns(Stage.WITHDRAWN),
    Column("mal_institution_id", String(36)),
    *event_columns(Stage.MAL_VERIFIED),
    Column("mal_failed_reason", Text),
    *event_columns(Stage.MAL_FAILED),
    Column("granted_gr", Grosze),
    Column("cap_gr", Grosze),
    *event_columns(Stage.GRANTED),
    Column("rejected_reason", Text),
    *event_columns(Stage.REJECTED),
    Column("revoked_gr", Grosze),
    Column("revoked_reason", Text),
    *event_columns(Stage.REVOKED),
    Column("settled_granted_gr", Grosze),
    Column("spent_gr", Grosze),
    Column("returned_gr", Grosze),
    *event_columns(Stage.SETTLED),
    Index("ix_partnerships_edition", "edition_id"),
)

settlement_steps = Table(
    "settlement_steps",
    metadata,
    # One row per event: a report may be returned and submitted again, and a moment's state is the last step by then.
    Column("step_event", String(36), primary_key=True),
    Column("step_subject", String(64)),
    Column("step_at", UtcDateTime),
    Column("partnership_id", String(36), nullable=False),
    Column("edition_id", String(36), nullable=False),
    Column("step", String(16), nullable=False),
    Column("spent_gr", Grosze),
    Column("submitted_on", Date),
    Column("reason", Text),
    Index("ix_settlement_steps_partnership", "partnership_id", "step_at"),
)

partnership_institutions = Table(
    "partnership_institutions",
    metadata,
    Column("partnership_id", String(36), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    Column("lead", Boolean),
    *event_columns(Stage.PROPOSED),
    Index("ix_partnership_institutions_edition", "edition_id", "institution_id", "proposed_at"),
    Index("ix_partnership_institutions_institution", "institution_id"),  # what a registration recomputes
)
