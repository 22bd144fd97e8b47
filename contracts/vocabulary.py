"""Closed vocabularies of the programme, named in CONTRACT.md, and the statuses the services keep.

Every word is a member of a `StrEnum`, and a member *is* its word: `EditionStatus.OPEN == "open"`, and
`str()`, JSON, marshmallow and the database drivers all write "open". Code names the member; events, rows
and answers hold exactly the words they held before. The tuples (PROGRAMMES, ROUNDS, ...) are the same words
as plain strings in declaration order, for schemas that offer them as choices.
"""

from enum import StrEnum


def _words(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in vocabulary)


# -- what the contract's events carry ------------------------------------------------------------


class Programme(StrEnum):
    """The programme an edition belongs to (EditionOpened.programme)."""

    PARTNERSHIPS = "partnerships"
    LIBRARIES = "libraries"
    CULTURE_HOUSES = "culture_houses"
    CARE_HOMES = "care_homes"


class Round(StrEnum):
    """The round of an edition held twice a year (EditionOpened.round; null for a whole-year edition)."""

    SPRING = "spring"
    AUTUMN = "autumn"


class EditionKind(StrEnum):
    """What an edition takes: proposals of partnerships, or enrolments of single institutions."""

    PARTNERSHIP = "partnership"
    ENROLMENT = "enrolment"


class InstitutionKind(StrEnum):
    """What a city institution is (InstitutionRegistered.kind)."""

    LIBRARY = "library"
    CULTURE_HOUSE = "culture_house"
    MAL = "mal"
    SOCIAL_WELFARE_CENTRE = "social_welfare_centre"
    SCHOOL = "school"
    CARE_HOME = "care_home"
    NGO = "ngo"
    OTHER = "other"


class TrainingKind(StrEnum):
    """What staff held for an enrolment edition's institutions (TrainingHeld.kind)."""

    TRAINING = "training"
    STUDY_VISIT = "study_visit"
    MEETING = "meeting"


class MonitoringStage(StrEnum):
    """Where a trainer's monitoring visit found the institution's work (MonitoringVisitMade.stage)."""

    DIAGNOSIS = "diagnosis"
    PLANNING = "planning"
    IMPLEMENTATION = "implementation"
    EVALUATION = "evaluation"


PROGRAMMES = _words(Programme)
ROUNDS = _words(Round)
EDITION_KINDS = _words(EditionKind)
INSTITUTION_KINDS = _words(InstitutionKind)
TRAINING_KINDS = _words(TrainingKind)
MONITORING_STAGES = _words(MonitoringStage)
DISTRICTS = (  # place names, not codes: no code names one of them, so they stay a plain tuple
    "Bemowo",
    "Białołęka",
    "Bielany",
    "Mokotów",
    "Ochota",
    "Praga-Południe",
    "Praga-Północ",
    "Rembertów",
    "Śródmieście",
    "Targówek",
    "Ursus",
    "Ursynów",
    "Wawer",
    "Wesoła",
    "Wilanów",
    "Włochy",
    "Wola",
    "Żoliborz",
)


# -- statuses the services keep and answer with --------------------------------------------------


class EditionStatus(StrEnum):
    """An edition takes proposals and enrolments until it is closed."""

    OPEN = "open"
    CLOSED = "closed"


class PartnershipStatus(StrEnum):
    """A partnership is proposed once and may be withdrawn once."""

    PROPOSED = "proposed"
    WITHDRAWN = "withdrawn"


class MalStatus(StrEnum):
    """Where the verification of a partnership's Local Activity Centre stands (GrantInputs.mal_status too)."""

    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    VERIFIED = "verified"
    FAILED = "failed"


class Outcome(StrEnum):
    """The decision taken on a funding case."""

    GRANTED = "granted"
    REJECTED = "rejected"


class CaseStatus(StrEnum):
    """A funding case as staff see it: open until decided, withdrawn undecided, or a grant taken back."""

    OPEN = "open"
    GRANTED = Outcome.GRANTED.value
    REJECTED = Outcome.REJECTED.value
    WITHDRAWN = "withdrawn"
    REVOKED = "revoked"
    """Granted, then the grant was taken back (the partnership withdrew, or staff revoked it)."""


class SettlementStatus(StrEnum):
    """Where a grant in force stands with its final report."""

    DUE = "due"
    """Granted; no report yet (or the last one was returned and no new one came)."""
    SUBMITTED = "submitted"
    RETURNED = "returned"
    SETTLED = "settled"


PARTNERSHIP_STATUSES = _words(PartnershipStatus)
CASE_STATUSES = _words(CaseStatus)
SETTLEMENT_STATUSES = _words(SettlementStatus)
