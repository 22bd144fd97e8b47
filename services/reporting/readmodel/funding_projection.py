"""The fact rows each event of the funding service states: decisions, revocations and settlements."""

from __future__ import annotations

from collections.abc import Iterable

from contracts.envelope import Envelope
from contracts.funding import (
    FundingGranted,
    FundingRejected,
    FundingRevoked,
    FundingSettled,
    SettlementReturned,
    SettlementSubmitted,
)
from services.reporting.readmodel import SettlementStep, Stage, partnerships, settlement_steps
from services.reporting.readmodel.projector import FactRow, edition_named, grosze, projector, stamp


@projector.facts(FundingGranted)
def _funding_granted(event: Envelope) -> Iterable[FactRow]:
    e: FundingGranted = event.data
    yield edition_named(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "granted_gr": grosze(e.amount),
        "cap_gr": grosze(e.cap),
        **stamp(Stage.GRANTED, event),
    }


@projector.facts(FundingRejected)
def _funding_rejected(event: Envelope) -> Iterable[FactRow]:
    e: FundingRejected = event.data
    yield edition_named(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "rejected_reason": e.reason,
        **stamp(Stage.REJECTED, event),
    }


@projector.facts(FundingRevoked)
def _funding_revoked(event: Envelope) -> Iterable[FactRow]:
    e: FundingRevoked = event.data
    yield edition_named(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "revoked_gr": grosze(e.amount),
        "revoked_reason": e.reason,
        **stamp(Stage.REVOKED, event),
    }


@projector.facts(SettlementSubmitted)
def _settlement_submitted(event: Envelope) -> Iterable[FactRow]:
    e: SettlementSubmitted = event.data
    yield edition_named(e.edition_id)
    yield settlement_steps, {
        "partnership_id": e.partnership_id,
        "edition_id": e.edition_id,
        "step": SettlementStep.SUBMITTED,
        "spent_gr": grosze(e.spent_amount),
        "submitted_on": e.submitted_on,
        **stamp(Stage.STEP, event),
    }


@projector.facts(SettlementReturned)
def _settlement_returned(event: Envelope) -> Iterable[FactRow]:
    e: SettlementReturned = event.data
    yield edition_named(e.edition_id)
    yield settlement_steps, {
        "partnership_id": e.partnership_id,
        "edition_id": e.edition_id,
        "step": SettlementStep.RETURNED,
        "reason": e.reason,
        **stamp(Stage.STEP, event),
    }


@projector.facts(FundingSettled)
def _funding_settled(event: Envelope) -> Iterable[FactRow]:
    e: FundingSettled = event.data
    yield edition_named(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "settled_granted_gr": grosze(e.granted_amount),
        "spent_gr": grosze(e.spent_amount),
        "returned_gr": grosze(e.returned_amount),
        **stamp(Stage.SETTLED, event),
    }
