"""What staff ask the volunteers service to do. Personal fields never show in a command's repr."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class RegisterVolunteer:
    volunteer_id: str
    first_name: str = field(repr=False)
    last_name: str = field(repr=False)
    email: str = field(repr=False)
    phone: str | None = field(default=None, repr=False)
    birth_date: datetime.date | None = field(default=None, repr=False)


@dataclass(frozen=True)
class RectifyVolunteer:
    """A correction of personal data (GDPR art. 16): the fields given change, those left out (None) stay."""

    volunteer_id: str
    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)
    birth_date: datetime.date | None = field(default=None, repr=False)
    expected_version: int | None = None


@dataclass(frozen=True)
class JoinInstitution:
    volunteer_id: str
    membership_id: str
    institution_id: str
    edition_id: str
    joined_on: datetime.date
    partnership_id: str | None = None
    agreement_signed_on: datetime.date | None = None
    accident_insurance: bool = False
    guardian_consent: bool = False
    expected_version: int | None = None


@dataclass(frozen=True)
class LeaveInstitution:
    volunteer_id: str
    membership_id: str
    left_on: datetime.date
    expected_version: int | None = None


@dataclass(frozen=True)
class RecordPaperwork:
    """Mends a membership's paperwork: the items given change, those left out (None) stay."""

    volunteer_id: str
    membership_id: str
    agreement_signed_on: datetime.date | None = None
    accident_insurance: bool | None = None
    guardian_consent: bool | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class SubmitHours:
    volunteer_id: str
    membership_id: str
    entry_id: str
    month: str
    hours: Decimal
    activity: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class ApproveHours:
    volunteer_id: str
    entry_id: str
    expected_version: int | None = None


@dataclass(frozen=True)
class DeclineHours:
    volunteer_id: str
    entry_id: str
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class EraseVolunteer:
    volunteer_id: str
