"""Reads of the funding read model, for the views and for the handlers' decisions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from contracts.applications import GrantCap
from contracts.vocabulary import CaseStatus, EditionKind, SettlementStatus
from infra.eventstore.tables import events
from infra.polish import bracket_label
from services.funding.domain.rules import (
    GRANTED,
    CaseFacts,
    Decision,
    EditionRules,
    assess,
)
from services.funding.readmodel import cases, editions, settlements


# -- for the handlers -------------------------------------------------------
def case_edition(session: Session, partnership_id: str) -> str | None:
    """The edition of a proposed partnership's case (None when funding has no such proposal)."""
    return session.execute(
        select(cases.c.edition_id).where(cases.c.id == partnership_id, cases.c.proposed.is_(True))
    ).scalar()


def case_facts(session: Session, partnership_id: str, *, lock: bool = False) -> CaseFacts | None:
    """The partnership's facts; `lock` holds its row until commit, so a withdrawal waits for the decision."""
    query = select(cases).where(cases.c.id == partnership_id, cases.c.proposed.is_(True))
    if lock:
        query = query.with_for_update()
    row = session.execute(query).first()
    return _facts(row) if row else None


def _facts(row) -> CaseFacts:
    return CaseFacts(
        partnership_id=row.id,
        edition_id=row.edition_id,
        size=row.size,
        requested_amount=row.requested_amount,
        withdrawn=row.withdrawn,
        withdrawn_reason=row.withdrawn_reason,
        mal_status=row.mal_status,
        mal_reason=row.mal_reason,
    )


def edition_rules(session: Session, edition_id: str) -> EditionRules | None:
    row = session.execute(select(editions).where(editions.c.id == edition_id, editions.c.known.is_(True))).first()
    return _rules(row) if row else None


def _rules(row) -> EditionRules:
    return EditionRules(
        edition_id=row.id,
        name=row.name,
        kind=row.kind,
        mal_required=row.mal_required,
        grant_caps=tuple(
            GrantCap(c["min_institutions"], c["max_institutions"], Decimal(c["cap"])) for c in orjson.loads(row.grant_caps)
        ),
        budget=row.budget,
        closed=row.closed,
    )


# -- for the views ----------------------------------------------------------
def case(session: Session, partnership_id: str) -> dict[str, Any] | None:
    found = case_list(session, partnership_id=partnership_id)
    return found[0] if found else None


def case_list(
    session: Session,
    edition_id: str | None = None,
    status: str | None = None,
    eligible: bool | None = None,
    partnership_id: str | None = None,
    settlement: str | None = None,
) -> list[dict[str, Any]]:
    query = select(cases).where(cases.c.proposed.is_(True)).order_by(cases.c.proposed_at, cases.c.id)
    if partnership_id:
        query = query.where(cases.c.id == partnership_id)
    if edition_id:
        query = query.where(cases.c.edition_id == edition_id)
    if status == CaseStatus.OPEN:
        query = query.where(cases.c.decision.is_(None), cases.c.withdrawn.is_(False))
    elif status == CaseStatus.WITHDRAWN:
        query = query.where(cases.c.decision.is_(None), cases.c.withdrawn.is_(True))
    elif status == CaseStatus.REVOKED:
        query = query.where(cases.c.revoked_at.is_not(None))
    elif status:
        query = query.where(cases.c.decision == status, cases.c.revoked_at.is_(None))
    if settlement:  # grants in force only: a revoked grant has nothing left to settle
        query = query.where(cases.c.decision == GRANTED, cases.c.revoked_at.is_(None))
        query = query.where(cases.c.settlement.is_(None) if settlement == SettlementStatus.DUE
                            else cases.c.settlement == settlement)
    rows = session.execute(query).all()
    edition_ids = {r.edition_id for r in rows}
    known = {
        r.id: r for r in session.execute(select(editions).where(editions.c.id.in_(edition_ids), editions.c.known.is_(True)))
    } if rows else {}
    rules = {i: _rules(r) for i, r in known.items()}
    granted = _granted_totals(session, edition_ids) if rows else {}
    deciders = _deciders(session, [r.id for r in rows if r.decision is not None])
    reports = _reports(session, [r.id for r in rows if r.settlement is not None])
    found = [_case_out(r, known.get(r.edition_id), rules.get(r.edition_id), granted, deciders) | _settlement(r, reports)
             for r in rows]
    return [c for c in found if eligible is None or c["eligible"] is eligible]


def _granted_totals(session: Session, edition_ids) -> dict[str, Decimal]:
    rows = session.execute(
        select(cases.c.edition_id, func.coalesce(func.sum(cases.c.granted_amount), 0))
        .where(cases.c.edition_id.in_(edition_ids), cases.c.decision == GRANTED, cases.c.revoked_at.is_(None))
        .group_by(cases.c.edition_id)
    )
    return {edition_id: Decimal(total) for edition_id, total in rows}


def _deciders(session: Session, partnership_ids: list[str]) -> dict[str, str | None]:
    """Who took each decision: the actor recorded with the decision event in the event store."""
    if not partnership_ids:
        return {}
    rows = session.execute(
        select(events.c.aggregate_id, events.c.meta).where(
            and_(events.c.aggregate_id.in_(partnership_ids), events.c.type.in_(("FundingGranted", "FundingRejected")))
        )
    )
    return {aggregate_id: orjson.loads(meta).get("actor") for aggregate_id, meta in rows}


def _reports(session: Session, partnership_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each case's final reports, oldest first, returned ones included."""
    found: dict[str, list[dict[str, Any]]] = {}
    if partnership_ids:
        query = select(settlements).where(settlements.c.partnership_id.in_(partnership_ids)).order_by(settlements.c.sequence)
        for r in session.execute(query):
            found.setdefault(r.partnership_id, []).append({
                "spent_amount": r.spent_amount, "volunteers_engaged": r.volunteers_engaged, "hours": r.hours,
                "submitted_on": r.submitted_on, "submitted_at": r.submitted_at,
                "outcome": r.outcome, "reason": r.reason, "decided_at": r.decided_at,
            })
    return found


def _settlement(row, reports: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Where the grant stands with its final report (None unless a grant is in force, or was settled)."""
    state = None
    if row.decision == GRANTED and row.revoked_at is None:
        state = {
            "status": row.settlement or SettlementStatus.DUE,
            "granted_amount": row.granted_amount,
            "spent_amount": row.spent_amount,
            "returned_amount": row.returned_amount,
            "settled_at": row.settled_at,
        }
    return {"settlement": state, "reports": reports.get(row.id, [])}


def _status(row) -> str:
    if row.revoked_at is not None:
        return CaseStatus.REVOKED
    if row.decision is not None:
        return row.decision
    return CaseStatus.WITHDRAWN if row.withdrawn else CaseStatus.OPEN


def _case_out(row, edition, rules: EditionRules | None, granted: dict[str, Decimal], deciders) -> dict[str, Any]:
    decision = None
    if row.decision is not None:
        decision = Decision(row.decision, amount=row.granted_amount, reason=row.rejection_reason)
    assessment = assess(_facts(row), rules, decision)
    remaining = None
    if rules is not None and rules.budget is not None:
        remaining = rules.budget - granted.get(row.edition_id, Decimal("0"))
    return {
        "id": row.id,
        "partnership_id": row.id,
        "edition_id": row.edition_id,
        "edition_name": edition.name if edition is not None else None,
        "edition_closed": bool(edition.closed) if edition is not None else None,
        "title": row.title,
        "lead_institution_id": row.lead_institution_id,
        "institution_ids": orjson.loads(row.institution_ids),
        "size": row.size,
        "requested_amount": row.requested_amount,
        "cap": assessment.cap,
        "bracket": bracket_label(assessment.bracket) if assessment.bracket is not None else None,
        "budget_remaining": remaining,
        "mal_required": rules.mal_required if rules is not None else None,
        "mal_status": row.mal_status,
        "mal_reason": row.mal_reason,
        "withdrawn_reason": row.withdrawn_reason if row.withdrawn else None,
        "revoked_reason": row.revoked_reason,
        "revoked_at": row.revoked_at,
        "status": _status(row),
        "eligible": assessment.eligible,
        "reasons": [r.message for r in assessment.reasons],
        "reason_codes": [r.code for r in assessment.reasons],
        "decision": None if decision is None else {
            "outcome": row.decision,
            "amount": row.granted_amount,
            "cap": row.granted_cap,
            "reason": row.rejection_reason,
            "decided_at": row.decided_at,
            "decided_by": deciders.get(row.id),
        },
        "version": row.version,
        "proposed_at": row.proposed_at,
        "updated_at": row.updated_at,
    }


def budget(session: Session, edition_id: str) -> dict[str, Any] | None:
    row = session.execute(select(editions).where(editions.c.id == edition_id, editions.c.known.is_(True))).first()
    if row is None:
        return None
    totals = session.execute(
        select(func.count(), func.coalesce(func.sum(cases.c.granted_amount), 0))
        .where(cases.c.edition_id == edition_id, cases.c.decision == GRANTED, cases.c.revoked_at.is_(None))
    ).one()
    committed = Decimal(totals[1]).quantize(Decimal("0.01"))
    return {
        "edition_id": row.id,
        "name": row.name,
        "budget": row.budget,
        "committed": committed,
        "grants": totals[0],
        "remaining": row.budget - committed if row.budget is not None else None,
        "closed": row.closed,
    }


def known_case(session: Session, partnership_id: str) -> bool:
    """Whether funding has a proposal or a decision for this id (for the history endpoint)."""
    return session.execute(
        select(cases.c.id).where(cases.c.id == partnership_id, or_(cases.c.proposed.is_(True), cases.c.version > 0))
    ).first() is not None



def funding_editions(session: Session) -> list[dict[str, Any]]:
    """The partnership editions funding knows, newest first, each with how many of its cases wait for a decision."""
    undecided = (
        select(cases.c.edition_id, func.count().label("cases"))
        .where(cases.c.proposed.is_(True), cases.c.decision.is_(None), cases.c.withdrawn.is_(False))
        .group_by(cases.c.edition_id)
        .subquery()
    )
    rows = session.execute(
        select(editions.c.id, editions.c.name, editions.c.closed, func.coalesce(undecided.c.cases, 0))
        .outerjoin(undecided, undecided.c.edition_id == editions.c.id)
        .where(editions.c.known.is_(True), editions.c.kind == EditionKind.PARTNERSHIP)
        .order_by(editions.c.opened_at.desc(), editions.c.name)
    )
    return [{"id": edition_id, "name": name, "closed": closed, "undecided": waiting}
            for edition_id, name, closed, waiting in rows]
