"""After a restore (`ochotnicy recover funding`): each edition's budget holds again exactly the grants in force.

A budget's BudgetCommitted and BudgetReleased are private: a database restored from a backup lacks those written
since, and no topic brings them back, while the grants and revocations they followed (public) come back from Kafka.
Left so, the budget would let later grants exceed it. This derives them again from the decisions, in the recovery's
transaction: a grant in force (granted under a budget, not revoked) missing from its budget is committed again, and a
commitment whose grant was revoked is released.
"""

from __future__ import annotations

import collections
from decimal import Decimal

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from infra import context
from infra.config import Settings
from infra.eventstore.tables import events
from infra.polish import pln
from infra.uow import SqlUnitOfWork
from services.funding.domain.budget import EditionBudget, budget_id
from services.funding.domain.events import REGISTRY
from services.funding.facts import SqlFacts

ACTOR = "ochotnicy recover"


def in_force(session: Session) -> dict[str, dict[str, Decimal]]:
    """Edition → partnership → amount of every grant made under a budget and not revoked, from the decisions' events."""
    found: dict[str, dict[str, Decimal]] = collections.defaultdict(dict)
    rows = session.execute(select(events.c.type, events.c.data)
                           .where(events.c.type.in_(("FundingGranted", "FundingRevoked")))
                           .order_by(events.c.aggregate_id, events.c.version))
    for kind, raw in rows:
        data = orjson.loads(raw)
        if kind == "FundingRevoked":
            found[data["edition_id"]].pop(data["partnership_id"], None)
        elif (data.get("rules") or {}).get("budget") is not None:  # v1 grants recorded no rules: no budget kept them
            found[data["edition_id"]][data["partnership_id"]] = Decimal(data["amount"])
    return found


def mend_budgets(session: Session, _settings: Settings) -> list[str]:
    """Brings every edition's budget to the grants in force; says which budgets it changed."""
    expected = in_force(session)
    kept = session.execute(select(events.c.aggregate_id).where(events.c.aggregate_type == EditionBudget.aggregate_type())
                           .distinct()).scalars().all()
    uow = SqlUnitOfWork.within(session, service="funding", registry=REGISTRY, facts=SqlFacts)
    changed = []
    with context.acting(ACTOR), uow:
        budgets = [b for b in (uow.aggregates.get(EditionBudget, aggregate_id) for aggregate_id in kept) if b is not None]
        known = {b.edition_id for b in budgets}
        for edition_id in expected.keys() - known:
            budget = EditionBudget.of_edition(edition_id)
            uow.aggregates.add(budget)
            budgets.append(budget)
        for budget in budgets:
            assert budget.edition_id is not None and budget.id == budget_id(budget.edition_id)
            grants = expected.get(budget.edition_id, {})
            before = budget.committed
            for partnership_id in sorted(budget.grants.keys() - grants.keys()):
                budget.release(partnership_id)
            for partnership_id, amount in sorted(grants.items()):
                if budget.grants.get(partnership_id) == amount:
                    continue
                if partnership_id in budget.grants:
                    budget.release(partnership_id)
                budget.recommit(partnership_id, amount)
            if budget.committed != before:
                changed.append(f"budżet edycji {budget.edition_id}: zaangażowane {pln(before)} → {pln(budget.committed)}, "
                               "jak przyznane i nieodebrane dotacje")
        uow.commit()
    return changed
