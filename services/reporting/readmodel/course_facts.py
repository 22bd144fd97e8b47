"""An enrolment edition's course: its enrolments, trainings and who attended them, trainers' monitoring visits."""

from sqlalchemy import Column, Date, Index, String, Table, Text

from services.reporting.readmodel.stages import Centihours, Stage, event_columns, metadata

enrolments = Table(
    "enrolments",
    metadata,
    Column("edition_id", String(36), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    *event_columns(Stage.ENROLLED),
    Column("adopted_on", Date),
    *event_columns(Stage.ADOPTED),
    Column("withdrawn_reason", Text),
    *event_columns(Stage.WITHDRAWN),
    Index("ix_enrolments_institution", "institution_id"),  # what a registration recomputes
)
"""Each enrolment, the day its institution adopted its volunteering programme, and its withdrawal (one of each per enrolment)."""

trainings = Table(
    "trainings",
    metadata,
    Column("training_id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    Column("kind", String(16)),
    Column("title", String(200)),
    Column("held_on", Date),
    Column("hours_ch", Centihours),
    *event_columns(Stage.HELD),
    Index("ix_trainings_edition", "edition_id"),
)

training_attendance = Table(
    "training_attendance",
    metadata,
    Column("training_id", String(36), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    *event_columns(Stage.HELD),
    Index("ix_training_attendance_edition", "edition_id", "institution_id"),
)
"""Which enrolled institutions attended each training (TrainingHeld.institution_ids)."""

monitoring_visits = Table(
    "monitoring_visits",
    metadata,
    Column("visit_id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    Column("institution_id", String(36), nullable=False),
    Column("visited_on", Date),
    Column("stage", String(16)),
    *event_columns(Stage.VISITED),
    Index("ix_monitoring_visits_edition", "edition_id", "institution_id"),
)
