"""Folds events into the funding read model, whatever order they arrive in.

Applications' events arrive through the consumer; funding's own decisions are applied by the
unit of work in the transaction that appends them. Each handler writes only the columns its
event is about, with an upsert, so a row is created by whichever event comes first and no
event overwrites what another one told.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from contracts.applications import (
    EditionClosed,
    EditionOpened,
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from contracts.envelope import Envelope
from contracts.funding import (
    FundingGranted,
    FundingRejected,
    FundingRevoked,
    FundingSettled,
    SettlementReturned,
    SettlementSubmitted,
)
from contracts.vocabulary import MalStatus, Outcome, SettlementStatus
from infra.db import advisory_lock
from infra.db.statements import insert_ignore, upsert
from infra.projection import Projector
from infra.uow import SqlUnitOfWork
from services.funding import handlers
from services.funding.domain.events import REGISTRY
from services.funding.facts import SqlFacts
from services.funding.readmodel import cases, editions, settlements

projector = Projector("funding")


def _upsert(session: Session, table: Table, row: dict[str, Any], update: list[str], *, if_newer: str | None = None) -> None:
    """INSERT the row, or UPDATE only the `update` columns of the existing one (if `if_newer` grew)."""
    # updated_at: the latest event's time, whichever order they came in
    latest = "updated_at" if "updated_at" in table.c else None
    upsert(session, table, row, ["id"], update, latest=latest, if_newer=if_newer)


# -- editions ---------------------------------------------------------------
@projector.on(EditionOpened)
def _edition_opened(session: Session, event: Envelope) -> None:
    e: EditionOpened = event.data
    caps = [dataclasses.asdict(c) | {"cap": str(c.cap)} for c in e.grant_caps]
    rules = {
        "known": True,
        "name": e.name,
        "programme": e.programme,
        "year": e.year,
        "round": e.round,
        "kind": e.kind,
        "mal_required": e.mal_required,
        "grant_caps": orjson.dumps(caps).decode(),
        "budget": e.budget,
        "opened_at": event.time,
    }
    _upsert(session, editions, {"id": e.edition_id, "closed": False, **rules}, list(rules))


@projector.on(EditionClosed)
def _edition_closed(session: Session, event: Envelope) -> None:
    closed = {"closed": True, "closed_at": event.time}
    _upsert(session, editions, {"id": event.data.edition_id, "known": False, **closed}, list(closed))


# -- cases: facts from the applications service ----------------------------
def _case(session: Session, event: Envelope, facts: dict[str, Any], *, if_newer: str | None = None) -> None:
    row = {
        "id": event.data.partnership_id,
        "edition_id": event.data.edition_id,
        "proposed": False,
        "withdrawn": False,
        "mal_status": MalStatus.PENDING,
        "mal_sequence": 0,
        "version": 0,
        "updated_at": event.time,
    }
    _upsert(session, cases, row | facts, list(facts), if_newer=if_newer)


@projector.on(PartnershipProposed)
def _proposed(session: Session, event: Envelope) -> None:
    e: PartnershipProposed = event.data
    _case(session, event, {
        "proposed": True,
        "title": e.title,
        "lead_institution_id": e.lead_institution_id,
        "institution_ids": orjson.dumps(list(e.institution_ids)).decode(),
        "size": len(set(e.institution_ids)),
        "requested_amount": e.requested_amount,
        "proposed_at": event.time,
    })


@projector.on(PartnershipWithdrawn)
def _withdrawn(session: Session, event: Envelope) -> None:
    advisory_lock(session, handlers.decisions(event.data.edition_id))  # before the row, in a grant's order
    _case(session, event, {"withdrawn": True, "withdrawn_reason": event.data.reason, "withdrawn_at": event.time,
                           "withdrawn_event": event.id})
    # Updating the row waited for a grant in flight (it holds the row): a grant made before funding learnt of the
    # withdrawal is taken back here, in this same transaction, so the compensation commits with the fact or not at all.
    decided = session.execute(select(cases.c.decision, cases.c.revoked_at).where(cases.c.id == event.data.partnership_id)).one()
    if decided.decision == Outcome.GRANTED and decided.revoked_at is None:
        handlers.revoke_on_withdrawal(event.data.partnership_id, event.data.reason, SqlUnitOfWork.within(
            session, service="funding", registry=REGISTRY, projector=projector, facts=SqlFacts))


def _mal(session: Session, event: Envelope, status: MalStatus, reason: str | None) -> None:
    # A later verification of the same partnership wins, even if it arrives first.
    _case(
        session,
        event,
        {
            "mal_status": status,
            "mal_sequence": event.sequence,
            "mal_institution_id": event.data.institution_id,
            "mal_reason": reason,
            "mal_at": event.time,
        },
        if_newer="mal_sequence",
    )


@projector.on(MALVerified)
def _mal_verified(session: Session, event: Envelope) -> None:
    _mal(session, event, MalStatus.VERIFIED, None)


@projector.on(MALVerificationFailed)
def _mal_failed(session: Session, event: Envelope) -> None:
    _mal(session, event, MalStatus.FAILED, event.data.reason)


# -- cases: funding's own decisions -----------------------------------------
@projector.on(FundingGranted)
def _granted(session: Session, event: Envelope) -> None:
    e: FundingGranted = event.data
    _case(session, event, {
        "decision": Outcome.GRANTED,
        "granted_amount": e.amount,
        "granted_cap": e.cap,
        "decided_at": event.time,
        "version": event.sequence,
    })


@projector.on(FundingRevoked)
def _revoked(session: Session, event: Envelope) -> None:
    _case(session, event, {"revoked_reason": event.data.reason, "revoked_at": event.time, "version": event.sequence})


@projector.on(FundingRejected)
def _rejected(session: Session, event: Envelope) -> None:
    _case(session, event, {
        "decision": Outcome.REJECTED,
        "rejection_reason": event.data.reason,
        "decided_at": event.time,
        "version": event.sequence,
    })


# -- cases: the final report ------------------------------------------------
@projector.on(SettlementSubmitted)
def _settlement_submitted(session: Session, event: Envelope) -> None:
    e: SettlementSubmitted = event.data
    report = {"spent_amount": e.spent_amount, "volunteers_engaged": e.volunteers_engaged, "hours": e.hours,
              "submitted_on": e.submitted_on, "submitted_at": event.time}
    insert_ignore(session, settlements, {"partnership_id": e.partnership_id, "sequence": event.sequence, **report},
                  ["partnership_id", "sequence"])
    _case(session, event, {"settlement": SettlementStatus.SUBMITTED, "version": event.sequence})


def _report_decided(session: Session, event: Envelope, outcome: SettlementStatus, reason: str | None) -> None:
    # The report awaiting a decision is the case's latest (a case has one awaiting at a time).
    session.execute(update(settlements).where(
        settlements.c.partnership_id == event.data.partnership_id, settlements.c.outcome.is_(None),
        settlements.c.sequence < event.sequence,
    ).values(outcome=outcome, reason=reason, decided_at=event.time))


@projector.on(SettlementReturned)
def _settlement_returned(session: Session, event: Envelope) -> None:
    _report_decided(session, event, SettlementStatus.RETURNED, event.data.reason)
    _case(session, event, {"settlement": SettlementStatus.RETURNED, "version": event.sequence})


@projector.on(FundingSettled)
def _settled(session: Session, event: Envelope) -> None:
    e: FundingSettled = event.data
    _report_decided(session, event, SettlementStatus.SETTLED, None)
    _case(session, event, {
        "settlement": SettlementStatus.SETTLED,
        "spent_amount": e.spent_amount,
        "returned_amount": e.returned_amount,
        "settled_at": event.time,
        "version": event.sequence,
    })
