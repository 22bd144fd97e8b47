"""Events of the funding service: decisions on funding cases and their settlement."""

import datetime
from dataclasses import dataclass
from typing import Any

from contracts.applications import GrantCap
from contracts.registry import PUBLIC, public_event
from contracts.topics import FUNDING
from contracts.types import Hours, Id, Money, Text


@dataclass(frozen=True)
class RulesApplied:
    """Zasady edycji obowiązujące w chwili decyzji."""

    mal_required: bool
    grant_caps: tuple[GrantCap, ...]
    budget: Money | None


@dataclass(frozen=True)
class GrantInputs:
    """Dane sprawy, na podstawie których podjęto decyzję."""

    partnership_size: int
    requested_amount: Money
    mal_status: Text
    budget_committed_before: Money | None


@PUBLIC.legacy(name="FundingGranted", version=1, topic=FUNDING)
@dataclass(frozen=True)
class FundingGrantedV1:
    """Przyznano partnerstwu dofinansowanie (wersja 1: bez zapisu zastosowanych zasad)."""

    partnership_id: Id
    edition_id: Id
    amount: Money
    cap: Money


@public_event(topic=FUNDING, version=2)
@dataclass(frozen=True)
class FundingGranted:
    """Przyznano partnerstwu dofinansowanie w podanej kwocie, z zasadami edycji i danymi, na których oparto decyzję."""

    partnership_id: Id
    edition_id: Id
    amount: Money
    cap: Money
    rules: RulesApplied | None = None
    inputs: GrantInputs | None = None


@PUBLIC.upcaster("FundingGranted", from_version=1)
def _granted_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """A v1 decision did not record its rules: they are unknown, not absent."""
    return {**data, "rules": None, "inputs": None}


@public_event(topic=FUNDING)
@dataclass(frozen=True)
class FundingRejected:
    """Odmówiono partnerstwu dofinansowania (z podanym powodem)."""

    partnership_id: Id
    edition_id: Id
    reason: Text


@public_event(topic=FUNDING)
@dataclass(frozen=True)
class FundingRevoked:
    """Cofnięto przyznane dofinansowanie (np. partnerstwo wycofało się po decyzji); kwota wraca do budżetu edycji."""

    partnership_id: Id
    edition_id: Id
    amount: Money
    reason: Text


@public_event(topic=FUNDING)
@dataclass(frozen=True)
class SettlementSubmitted:
    """Partnerstwo złożyło sprawozdanie końcowe: ile wydało, ilu wolontariuszy zaangażowało, ile godzin."""

    partnership_id: Id
    edition_id: Id
    spent_amount: Money
    volunteers_engaged: int
    hours: Hours
    submitted_on: datetime.date


@public_event(topic=FUNDING)
@dataclass(frozen=True)
class SettlementReturned:
    """Sprawozdanie końcowe zwrócono do poprawy (z podanym powodem); partnerstwo może złożyć nowe."""

    partnership_id: Id
    edition_id: Id
    reason: Text


@public_event(topic=FUNDING)
@dataclass(frozen=True)
class FundingSettled:
    """Przyjęto sprawozdanie końcowe: dofinansowanie rozliczono (przyznano, wydano, zwrócono)."""

    partnership_id: Id
    edition_id: Id
    granted_amount: Money
    spent_amount: Money
    returned_amount: Money
