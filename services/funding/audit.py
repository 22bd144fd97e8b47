"""For auditors: every grant re-checked against the rules and inputs it recorded (revocations given back)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy.orm import Session

from contracts.funding import FundingGranted, FundingRevoked
from contracts.rules import bracket_for
from infra.eventstore.sql import SqlEventStore
from infra.polish import pln
from services.funding.domain.events import REGISTRY
from services.funding.domain.rules import VERIFIED


def recheck_grants(session: Session) -> tuple[int, list[str]]:
    """How many FundingGranted were re-checked, and each that broke the rules it applied, in plain Polish words."""
    problems: list[str] = []
    checked = 0
    committed: dict[str, Decimal] = defaultdict(Decimal)
    store, after = SqlEventStore(session, "funding"), 0
    while batch := store.read_all(after=after, limit=5000):
        after = batch[-1].position
        for record in batch:
            if record.type == "FundingRevoked":  # a revoked grant's amount went back to the budget
                revoked: FundingRevoked = REGISTRY.decode(record.type, record.schema_version, record.data)
                committed[revoked.edition_id] -= revoked.amount
            if record.type != "FundingGranted":
                continue
            grant: FundingGranted = REGISTRY.decode(record.type, record.schema_version, record.data)
            checked += 1
            problems += [f"przyznanie {record.event_id} (partnerstwo {grant.partnership_id}): {p}" for p in _check(grant, committed)]
            committed[grant.edition_id] += grant.amount
    return checked, problems


def _check(grant: FundingGranted, committed: dict[str, Decimal]) -> list[str]:
    found = []
    if grant.amount > grant.cap:
        found.append(f"{pln(grant.amount)} przekracza limit podany w decyzji, {pln(grant.cap)}")
    if grant.rules is None or grant.inputs is None:
        return found  # a v1 decision: its rules were not recorded, only the cap can be checked
    rules, inputs = grant.rules, grant.inputs
    bracket = bracket_for(rules.grant_caps, inputs.partnership_size)
    if bracket is None:
        found.append(f"żaden przedział edycji nie obejmuje partnerstwa z {inputs.partnership_size} instytucji")
    elif bracket.cap != grant.cap:
        found.append(f"limit dla partnerstwa z {inputs.partnership_size} instytucji wynosił {pln(bracket.cap)}, nie {pln(grant.cap)}")
    if grant.amount > inputs.requested_amount:
        found.append(f"{pln(grant.amount)} przekracza wnioskowaną kwotę, {pln(inputs.requested_amount)}")
    if rules.mal_required and inputs.mal_status != VERIFIED:
        found.append(f"edycja wymagała potwierdzonego MAL, a jego stan był {inputs.mal_status!r}")
    if rules.budget is not None:
        before = committed[grant.edition_id]
        if inputs.budget_committed_before is not None and inputs.budget_committed_before != before:
            found.append(f"decyzja podaje, że wcześniej przyznano {pln(inputs.budget_committed_before)}; według dziennika {pln(before)}")
        if before + grant.amount > rules.budget:
            found.append(f"przekracza budżet edycji {pln(rules.budget)} (wcześniej przyznano {pln(before)})")
    return found
