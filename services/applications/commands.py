"""What staff ask the applications service to do."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from contracts.applications import GrantCap


@dataclass(frozen=True)
class OpenEdition:
    edition_id: str
    programme: str
    name: str
    year: int
    round: str | None
    kind: str
    mal_required: bool
    grant_caps: tuple[GrantCap, ...]
    budget: Decimal | None
    opens_on: datetime.date
    closes_on: datetime.date


@dataclass(frozen=True)
class CloseEdition:
    edition_id: str
    expected_version: int | None = None


@dataclass(frozen=True)
class RegisterInstitution:
    institution_id: str
    name: str
    kind: str
    district: str
    is_mal: bool


@dataclass(frozen=True)
class ChangeInstitutionDetails:
    """A correction of the register: the fields given change, those left out (None) stay as they are."""

    institution_id: str
    name: str | None = None
    kind: str | None = None
    district: str | None = None
    is_mal: bool | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class ProposePartnership:
    partnership_id: str
    edition_id: str
    title: str
    lead_institution_id: str
    institution_ids: tuple[str, ...]
    requested_amount: Decimal


@dataclass(frozen=True)
class VerifyMAL:
    partnership_id: str
    institution_id: str
    verified: bool
    reason: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class WithdrawPartnership:
    partnership_id: str
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class EnrolInstitution:
    edition_id: str
    institution_id: str


@dataclass(frozen=True)
class WithdrawEnrolment:
    edition_id: str
    institution_id: str
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class RecordTraining:
    """A training, study visit or meeting (`kind`) held for institutions enrolled in the edition."""

    training_id: str
    edition_id: str
    kind: str
    title: str
    held_on: datetime.date
    hours: Decimal
    institution_ids: tuple[str, ...]


@dataclass(frozen=True)
class RecordMonitoringVisit:
    visit_id: str
    edition_id: str
    institution_id: str
    visited_on: datetime.date
    stage: str


@dataclass(frozen=True)
class AdoptProgramme:
    """The day an enrolled institution adopted its volunteering programme."""

    edition_id: str
    institution_id: str
    adopted_on: datetime.date
    expected_version: int | None = None
