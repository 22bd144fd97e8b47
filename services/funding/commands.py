"""What staff ask the funding service to do."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.funding.domain.settlement import Report


@dataclass(frozen=True)
class GrantFunding:
    partnership_id: str
    amount: Decimal
    expected_version: int | None = None


@dataclass(frozen=True)
class RejectFunding:
    partnership_id: str
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class RevokeFunding:
    partnership_id: str
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class SubmitSettlement(Report):
    partnership_id: str
    expected_version: int | None = None


@dataclass(frozen=True)
class AcceptSettlement:
    partnership_id: str
    expected_version: int | None = None


@dataclass(frozen=True)
class ReturnSettlement:
    partnership_id: str
    reason: str
    expected_version: int | None = None
