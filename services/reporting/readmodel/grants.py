"""An edition's grants as they stood at a moment: in force or revoked, settled or where their final report is."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, case, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnCollection

from services.reporting.readmodel import SettlementStep, Stage, partnership_institutions, partnerships, settlement_steps
from services.reporting.readmodel.figures import FIGURES
from services.reporting.readmodel.registry import with_details
from services.reporting.readmodel.timeline import Moment, When, in_effect, known

IS_REVOKED, IS_SETTLED = FIGURES["partnerships.revoked"].counts, FIGURES["partnerships.settled"].counts


class GrantState(StrEnum):
    """Where a grant stood at a moment (in this order on the page)."""

    SETTLED = "settled"  # its final report accepted (FundingSettled)
    AWAITING = "awaiting"  # a final report submitted, awaiting acceptance
    RETURNED = "returned"  # the last report returned for correction
    UNREPORTED = "unreported"  # no final report yet
    REVOKED = "revoked"  # taken back (FundingRevoked)


OPEN = (GrantState.AWAITING, GrantState.RETURNED, GrantState.UNREPORTED)
"""The states of a grant in force not settled yet."""


def _last_step(p: ColumnCollection, as_of: When):
    """The partnership's last settlement step stated by `as_of` (NULL: none)."""
    s = settlement_steps
    return (
        select(s.c.step)
        .where(s.c.partnership_id == p.id, in_effect(s, "partnership_id", Stage.STEP, as_of))
        .limit(1)
        .scalar_subquery()
    )


def grant_state(p: ColumnCollection, as_of: When) -> ColumnElement[str]:
    """The GrantState of a granted partnership at `as_of`."""
    step = _last_step(p, as_of)
    return case(
        (IS_REVOKED(p, as_of), GrantState.REVOKED.value),
        (IS_SETTLED(p, as_of), GrantState.SETTLED.value),
        (step == SettlementStep.SUBMITTED.value, GrantState.AWAITING.value),
        (step == SettlementStep.RETURNED.value, GrantState.RETURNED.value),
        else_=GrantState.UNREPORTED.value,
    )


def granted(session: Session, edition_id: str, as_of: Moment) -> list[dict[str, Any]]:
    """Partnerships granted (or revoked) by `as_of`, alphabetically, with their state, lead institution and partners'
    names then; what was stated after `as_of` (a later revocation or settlement) is left out."""
    p = partnerships.c
    joined, lead = with_details(partnerships, p.lead_institution_id, as_of, "lead")
    revoked, settled = IS_REVOKED(p, as_of), IS_SETTLED(p, as_of)
    rows = [
        dict(r._mapping)
        for r in session.execute(
            select(
                p.id, p.title, p.size, p.requested_gr, p.granted_gr, p.granted_at, p.granted_event, p.lead_institution_id,
                lead.name.label("lead_name"), lead.district.label("lead_district"), grant_state(p, as_of).label("state"),
                *(case((revoked, p[c])).label(c) for c in ("revoked_gr", "revoked_at", "revoked_reason")),
                *(case((settled, p[c])).label(c) for c in ("spent_gr", "returned_gr", "settled_at")),
            )
            .select_from(joined)
            .where(p.edition_id == edition_id, or_(known(p.granted_at, as_of), revoked))
            .order_by(p.title, p.id)
        )
    ]
    if rows:
        names = _partners(session, [r["id"] for r in rows], as_of)
        for row in rows:
            row["state"] = GrantState(row["state"])
            row["partners"] = names.get(row["id"], [])
    return rows


def _partners(session: Session, ids: list[str], as_of: Moment) -> dict[str, list[str]]:
    """Each partnership's institutions' names at `as_of`, the lead first."""
    pi = partnership_institutions.c
    joined, details = with_details(partnership_institutions, pi.institution_id, as_of, "partner")
    partners: dict[str, list[str]] = defaultdict(list)
    for r in session.execute(
        select(pi.partnership_id, pi.institution_id, details.name.label("name"))
        .select_from(joined)
        .where(pi.partnership_id.in_(ids))
        .order_by(pi.lead.desc(), details.name)
    ):
        partners[r.partnership_id].append(r.name or r.institution_id)
    return partners


@dataclasses.dataclass(frozen=True)
class Tally:
    """The grants in one state: how many, and their amounts (grosze; a revoked grant's amount is the one taken back)."""

    state: GrantState
    count: int = 0
    amount_gr: int = 0
    spent_gr: int = 0
    returned_gr: int = 0


def tally(rows: list[dict[str, Any]]) -> list[Tally]:
    """The grants counted by state, every state in GrantState's order (zeros where none)."""
    found = {state: Tally(state) for state in GrantState}
    for r in rows:
        t = found[r["state"]]
        amount = r["revoked_gr"] if r["state"] is GrantState.REVOKED else r["granted_gr"]
        found[t.state] = Tally(t.state, t.count + 1, t.amount_gr + (amount or 0), t.spent_gr + (r["spent_gr"] or 0),
                               t.returned_gr + (r["returned_gr"] or 0))
    return list(found.values())
