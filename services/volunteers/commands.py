"""What staff ask the volunteers service to do. Personal fields never show in a command's repr."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RegisterVolunteer:
    volunteer_id: str
    first_name: str = field(repr=False)
    last_name: str = field(repr=False)
    email: str = field(repr=False)
    phone: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class JoinInstitution:
    volunteer_id: str
    membership_id: str
    institution_id: str
    edition_id: str
    joined_on: datetime.date
    partnership_id: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class LeaveInstitution:
    volunteer_id: str
    membership_id: str
    left_on: datetime.date
    expected_version: int | None = None


@dataclass(frozen=True)
class EraseVolunteer:
    volunteer_id: str
