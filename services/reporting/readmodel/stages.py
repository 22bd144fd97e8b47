"""What every table of the reporting read model shares: its metadata, its units, and the stages whose events its facts name.

Money is kept in grosze and hours in hundredths of an hour (integers), so sums are exact on SQLite and PostgreSQL alike.
"""

from enum import StrEnum

from sqlalchemy import BigInteger, Column, MetaData, String

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


def event_columns(stage: Stage) -> list[Column]:
    """The event that stated a fact: its id, subject and time."""
    return [
        Column(f"{stage}_event", String(36)),
        Column(f"{stage}_subject", String(64)),
        Column(f"{stage}_at", UtcDateTime),
    ]
