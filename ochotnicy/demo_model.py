"""The shapes of the demonstration data: what staff registered, proposed, decided and were told, as plain values."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

CAPS = ((2, 3, Decimal("6000.00")), (4, None, Decimal("10000.00")))
"""Every partnership round's caps: (min institutions, max institutions, cap)."""


@dataclasses.dataclass(frozen=True)
class Institution:
    key: str
    name: str
    kind: str
    district: str
    is_mal: bool = False

    def body(self) -> dict:
        return {"name": self.name, "kind": self.kind, "district": self.district, "is_mal": self.is_mal}


@dataclasses.dataclass(frozen=True)
class Edition:
    key: str
    programme: str
    name: str
    year: int
    round: str | None
    kind: str
    mal_required: bool
    opens_on: datetime.date
    closes_on: datetime.date
    budget: Decimal | None = None

    @property
    def grant_caps(self) -> list[dict]:
        if self.kind != "partnership":
            return []
        return [{"min_institutions": low, "max_institutions": high, "cap": f"{cap:.2f}"} for low, high, cap in CAPS]

    def body(self) -> dict:
        return {
            "programme": self.programme,
            "name": self.name,
            "year": self.year,
            "round": self.round,
            "kind": self.kind,
            "mal_required": self.mal_required,
            "grant_caps": self.grant_caps,
            "budget": None if self.budget is None else f"{self.budget:.2f}",
            "opens_on": self.opens_on.isoformat(),
            "closes_on": self.closes_on.isoformat(),
        }


@dataclasses.dataclass(frozen=True)
class Proposal:
    """A partnership's application and what became of it: granted, rejected, withdrawn, or granted and then
    withdrawn (revoked: the funding service takes the grant back by itself)."""

    key: str
    edition: str
    title: str
    members: tuple[str, ...]  # institution keys, the lead first
    requested: Decimal
    outcome: str  # granted | rejected | withdrawn | revoked
    granted: Decimal | None = None
    mal: str | None = None  # the MAL staff checked (autumn round)
    mal_verified: bool = True
    reason: str | None = None  # of a rejection, a failed MAL check, or a withdrawal (before or after the grant)
    mal_reason: str | None = None

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def cap(self) -> Decimal:
        return next(cap for low, high, cap in CAPS if low <= self.size and (high is None or self.size <= high))

    @property
    def grants(self) -> bool:
        """Whether staff granted it (a revoked grant was granted first)."""
        return self.outcome in ("granted", "revoked")


@dataclasses.dataclass(frozen=True)
class Report:
    """A final report's figures, as staff enter them."""

    spent: Decimal
    volunteers: int
    hours: Decimal
    submitted_on: datetime.date

    def body(self) -> dict:
        return {"spent_amount": f"{self.spent:.2f}", "volunteers_engaged": self.volunteers, "hours": f"{self.hours:.2f}",
                "submitted_on": self.submitted_on.isoformat()}


@dataclasses.dataclass(frozen=True)
class Settlement:
    """How a grant was settled: the report accepted, after one returned for correction (with why), if any."""

    proposal: str
    final: Report
    returned: tuple[Report, str] | None = None

    @property
    def reports(self) -> tuple[Report, ...]:
        return (self.returned[0], self.final) if self.returned else (self.final,)


@dataclasses.dataclass(frozen=True)
class Volunteer:
    key: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    birth_date: datetime.date | None = None

    def body(self) -> dict:
        body = {"first_name": self.first_name, "last_name": self.last_name, "email": self.email}
        if self.phone:
            body["phone"] = self.phone
        if self.birth_date:
            body["birth_date"] = self.birth_date.isoformat()
        return body


@dataclasses.dataclass(frozen=True)
class Membership:
    """A volunteer's membership, and the paperwork it brought on joining (the earlier memberships none: theirs came
    later, `Agreement`)."""

    volunteer: str
    institution: str
    edition: str
    joined_on: datetime.date
    left_on: datetime.date | None = None
    agreement_signed_on: datetime.date | None = None
    accident_insurance: bool = False
    guardian_consent: bool = False

    @property
    def key(self) -> str:
        return f"{self.volunteer}:{self.edition}:{self.institution}"

    def paperwork(self) -> dict:
        """What the joining brings of the paperwork: nothing for a membership without any, as first loaded."""
        papers = {"agreement_signed_on": self.agreement_signed_on.isoformat() if self.agreement_signed_on else None,
                  "accident_insurance": self.accident_insurance or None, "guardian_consent": self.guardian_consent or None}
        return {name: value for name, value in papers.items() if value is not None}


@dataclasses.dataclass(frozen=True)
class Agreement:
    """A written agreement a coordinator entered after the volunteer joined, with the day it was signed."""

    membership: Membership
    signed_on: datetime.date


@dataclasses.dataclass(frozen=True)
class Rectification:
    """A volunteer's birth date corrected after they joined (RODO art. 16), and why."""

    volunteer: str
    birth_date: datetime.date
    why: str


@dataclasses.dataclass(frozen=True)
class Hours:
    """A month's hours of one membership as a coordinator entered them, and what staff decided: approved, declined
    with a reason (the month then entered again: its second entry), or still waiting."""

    membership: Membership
    month: str  # YYYY-MM
    hours: Decimal
    activity: str
    decision: str  # approved | declined | waiting
    reason: str | None = None
    entry: int = 1

    @property
    def key(self) -> str:
        return f"{self.membership.key}:{self.month}:{self.entry}"

    def body(self) -> dict:
        return {"month": self.month, "hours": f"{self.hours:.2f}", "activity": self.activity}


@dataclasses.dataclass(frozen=True)
class Training:
    """A training, study visit or coordinators' meeting of a library edition, and the libraries that attended."""

    key: str
    edition: str
    kind: str  # training | study_visit | meeting
    title: str
    held_on: datetime.date
    hours: Decimal
    institutions: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Visit:
    """A trainer's monitoring visit to a library, and the stage at which it found the library's work."""

    edition: str
    institution: str
    visited_on: datetime.date
    stage: str  # diagnosis | planning | implementation | evaluation

    @property
    def key(self) -> str:
        return f"{self.edition}:{self.institution}:{self.visited_on.isoformat()}"


@dataclasses.dataclass(frozen=True)
class Programme:
    """The day a library adopted its volunteering programme."""

    edition: str
    institution: str
    adopted_on: datetime.date


@dataclasses.dataclass(frozen=True)
class Withdrawal:
    """A library leaving an edition, with its reason and the day it told the office (the service records when staff
    entered it: nothing of the edition happens to the library after that day)."""

    edition: str
    institution: str
    on: datetime.date
    reason: str
