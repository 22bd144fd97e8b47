"""Fact tables of the reporting read model: one row per thing, one column group per event.

Every fact keeps the id, subject and time (the CloudEvent `time`) of the event that stated it, so
a summary "as of" any moment is a query with `<= as_of` on those times, and every figure can name
the events behind it. Rows are created by whichever event arrives first; every column is nullable
except the keys (and a partnership's edition, which each of its events carries). What may be stated
more than once (a correction of an institution's details, a final report returned and submitted
again) is kept as a history, a row per event, so a past moment still finds what held then.

Money is kept in grosze and hours in hundredths of an hour (integers), so sums are exact on SQLite and PostgreSQL alike.
"""

from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, MetaData, String, Table, Text

from infra.db.statements import UtcDateTime

metadata = MetaData()
Grosze = BigInteger
Centihours = BigInteger


class Stage(StrEnum):
    """A moment in a thing's life that a fact row keeps, named for the event that states it.

    Each stage is a column group of its table: `<stage>_event`, `<stage>_subject` and `<stage>_at`.
    """

    OPENED = "opened"  # EditionOpened
    CLOSED = "closed"  # EditionClosed
    REGISTERED = "registered"  # InstitutionRegistered
    PROPOSED = "proposed"  # PartnershipProposed
    WITHDRAWN = "withdrawn"  # PartnershipWithdrawn
    MAL_VERIFIED = "mal_verified"  # MALVerified
    MAL_FAILED = "mal_failed"  # MALVerificationFailed
    ENROLLED = "enrolled"  # InstitutionEnrolled
    GRANTED = "granted"  # FundingGranted
    REJECTED = "rejected"  # FundingRejected
    JOINED = "joined"  # VolunteerJoined
    LEFT = "left"  # VolunteerLeft
    REVOKED = "revoked"  # FundingRevoked
    SETTLED = "settled"  # FundingSettled
    CHANGED = "changed"  # InstitutionDetailsChanged
    STEP = "step"  # SettlementSubmitted or SettlementReturned
    HELD = "held"  # TrainingHeld
    VISITED = "visited"  # MonitoringVisitMade
    ADOPTED = "adopted"  # VolunteeringProgrammeAdopted
    APPROVED = "approved"  # VolunteerHoursApproved


STATED_BY = {
    Stage.PROPOSED: "PartnershipProposed",
    Stage.WITHDRAWN: "PartnershipWithdrawn",
    Stage.MAL_VERIFIED: "MALVerified",
    Stage.GRANTED: "FundingGranted",
    Stage.REJECTED: "FundingRejected",
    Stage.REVOKED: "FundingRevoked",
    Stage.SETTLED: "FundingSettled",
}
"""The event type that states each stage of a partnership (what the sources of a figure name)."""


class SettlementStep(StrEnum):
    """A step of a final report on its way to acceptance (a row of settlement_steps)."""

    SUBMITTED = "submitted"  # SettlementSubmitted
    RETURNED = "returned"  # SettlementReturned


def _event(stage: Stage) -> list[Column]:
    """The event that stated a fact: its id, subject and time."""
    return [
        Column(f"{stage}_event", String(36)),
        Column(f"{stage}_subject", String(64)),
        Column(f"{stage}_at", UtcDateTime),
    ]


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
    *_event(Stage.OPENED),
    *_event(Stage.CLOSED),
)

partnerships = Table(
    "partnerships",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    Column("title", String(200)),
    Column("lead_institution_id", String(36)),
    Column("size", Integer),
    Column("requested_gr", Grosze),
    *_event(Stage.PROPOSED),
    Column("withdrawn_reason", Text),
    *_event(Stage.WITHDRAWN),
    Column("mal_institution_id", String(36)),
    *_event(Stage.MAL_VERIFIED),
    Column("mal_failed_reason", Text),
    *_event(Stage.MAL_FAILED),
    Column("granted_gr", Grosze),
    Column("cap_gr", Grosze),
    *_event(Stage.GRANTED),
    Column("rejected_reason", Text),
    *_event(Stage.REJECTED),
    Column("revoked_gr", Grosze),
    Column("revoked_reason", Text),
    *_event(Stage.REVOKED),
    Column("settled_granted_gr", Grosze),
    Column("spent_gr", Grosze),
    Column("returned_gr", Grosze),
    *_event(Stage.SETTLED),
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
    *_event(Stage.PROPOSED),
    Index("ix_partnership_institutions_edition", "edition_id", "institution_id", "proposed_at"),
    Index("ix_partnership_institutions_institution", "institution_id"),  # what a registration recomputes
)

institutions = Table(
    "institutions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200)),
    Column("kind", String(32)),
    Column("district", String(32)),
    Column("is_mal", Boolean),
    *_event(Stage.REGISTERED),
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

enrolments = Table(
    "enrolments",
    metadata,
    Column("edition_id", String(36), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    *_event(Stage.ENROLLED),
    Column("adopted_on", Date),
    *_event(Stage.ADOPTED),
    Column("withdrawn_reason", Text),
    *_event(Stage.WITHDRAWN),
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
    *_event(Stage.HELD),
    Index("ix_trainings_edition", "edition_id"),
)

training_attendance = Table(
    "training_attendance",
    metadata,
    Column("training_id", String(36), primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    Column("edition_id", String(36), nullable=False),
    *_event(Stage.HELD),
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
    *_event(Stage.VISITED),
    Index("ix_monitoring_visits_edition", "edition_id", "institution_id"),
)

approved_hours = Table(
    "approved_hours",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("volunteer_id", String(36), nullable=False),
    Column("edition_id", String(36), nullable=False),
    Column("institution_id", String(36)),
    Column("month", String(7)),
    Column("hours_ch", Centihours),
    *_event(Stage.APPROVED),
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
    *_event(Stage.JOINED),
    Column("left_on", Date),
    *_event(Stage.LEFT),
    Index("ix_memberships_edition", "edition_id", "volunteer_id", "joined_at", "left_at"),
)

current_summaries = Table(
    "current_summaries",
    metadata,
    Column("edition_id", String(36), primary_key=True),
    Column("summary", Text, nullable=False),
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

TABLES = (
    editions, institutions, institution_changes, partnerships, partnership_institutions, enrolments, memberships, settlement_steps,
    trainings, training_attendance, monitoring_visits, approved_hours, roster,
)
