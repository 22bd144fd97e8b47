"""Tables the GET endpoints answer from, kept in step with the events in the same transaction."""

from sqlalchemy import Boolean, Column, Date, Index, Integer, MetaData, Numeric, String, Table, Text

from infra.db.statements import UtcDateTime

metadata = MetaData()

editions = Table(
    "editions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("programme", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("year", Integer, nullable=False),
    Column("round", String(16)),
    Column("kind", String(16), nullable=False),
    Column("mal_required", Boolean, nullable=False),
    Column("grant_caps", Text, nullable=False),
    Column("budget", Numeric(14, 2)),
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
)

institutions = Table(
    "institutions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("name_key", String(400), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("district", String(32), nullable=False),
    Column("is_mal", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    # Not unique: names registered before look-alikes folded together may share a key (issue 30), and the log that
    # holds them must still project. A new namesake is refused by the handler, under a lock on the key.
    Index("ix_institutions_name_district", "name_key", "district"),
)

partnerships = Table(
    "partnerships",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("lead_institution_id", String(36), nullable=False),
    Column("institution_ids", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("mal_partner_ids", Text, nullable=False,
           doc="the partners that were MALs when it was proposed: what a MAL check judges by, whatever the register says since"),
    Column("requested_amount", Numeric(14, 2), nullable=False),
    Column("status", String(16), nullable=False),
    Column("mal_status", String(16), nullable=False),
    Column("mal_institution_id", String(36)),
    Column("mal_reason", Text),
    Column("withdrawn_reason", Text),
    Column("version", Integer, nullable=False),
    Column("proposed_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

enrolments = Table(
    "enrolments",
    metadata,
    Column("edition_id", String(36), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    Column("enrolment_id", String(36), nullable=False, unique=True),
    Column("enrolled_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, doc="the enrolment's version (ETag): its visits, programme, withdrawal"),
    Column("programme_adopted_on", Date),
    Column("withdrawn_reason", Text),
    Column("withdrawn_at", UtcDateTime, doc="set once the institution withdrew: it gets no new trainings, visits or programme"),
)

trainings = Table(
    "trainings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("hours", Numeric(12, 2), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

training_attendance = Table(
    "training_attendance",
    metadata,
    Column("training_id", String(36), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    Index("ix_training_attendance_edition_institution", "edition_id", "institution_id"),
)

monitoring_visits = Table(
    "monitoring_visits",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    Column("institution_id", String(36), nullable=False),
    Column("visited_on", Date, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_monitoring_visits_edition_institution", "edition_id", "institution_id"),
)
