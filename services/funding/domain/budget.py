"""An edition's budget: the sum of its grants may never exceed it.

Every grant in an edition that has a budget appends a BudgetCommitted to the edition's one
EditionBudget, in the grant's transaction. Two grants deciding at once on the same remaining
budget both try to write the same next version of this aggregate; the event store lets only
one through (the other gets a ConcurrencyError, re-reads and decides again).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from infra.errors import RuleBroken
from infra.eventstore.aggregate import Aggregate
from infra.polish import pln
from services.funding.domain.events import BudgetCommitted, BudgetReleased

_NAMESPACE = uuid.UUID("5b1f0c1e-6f7a-4c43-9d0e-0f4b7a1c2d3e")


def budget_id(edition_id: str) -> str:
    """The EditionBudget's aggregate id, derived from the edition's (never equal to it)."""
    return str(uuid.uuid5(_NAMESPACE, f"budget:{edition_id}"))


class EditionBudget(Aggregate):
    """What has been committed from one edition's budget, grant by grant."""

    # Its stream gains an event per grant and per revocation, and every decision in the edition loads it.
    snapshot_every = 50

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.edition_id: str | None = None
        self.committed = Decimal("0.00")
        self.grants: dict[str, Decimal] = {}

    @classmethod
    def of_edition(cls, edition_id: str) -> EditionBudget:
        budget = cls(budget_id(edition_id))
        budget.edition_id = edition_id
        return budget

    def remaining(self, budget: Decimal) -> Decimal:
        return budget - self.committed

    def commit(self, partnership_id: str, amount: Decimal, *, budget: Decimal, edition_name: str) -> None:
        assert self.edition_id is not None
        remaining = self.remaining(budget)
        if amount > remaining:
            raise RuleBroken(
                f"Kwota {pln(amount)} przekracza pozostały budżet edycji „{edition_name}”: "
                f"zostało {pln(remaining)} z {pln(budget)}.",
                rule="over_budget",
                field="amount",
            )
        self._record(BudgetCommitted(edition_id=self.edition_id, partnership_id=partnership_id, amount=amount))

    def recommit(self, partnership_id: str, amount: Decimal) -> None:
        """A grant decided earlier whose commitment a restore lost (it is on no topic): committed again, no rule checked,
        as the decision stands."""
        assert self.edition_id is not None
        self._record(BudgetCommitted(edition_id=self.edition_id, partnership_id=partnership_id, amount=amount))

    def release(self, partnership_id: str) -> None:
        """Gives a revoked grant's amount back to the budget (nothing, if it never counted here)."""
        amount = self.grants.get(partnership_id)
        if amount is not None:
            assert self.edition_id is not None
            self._record(BudgetReleased(edition_id=self.edition_id, partnership_id=partnership_id, amount=amount))

    def state(self) -> dict[str, Any]:
        return {"edition_id": self.edition_id, "committed": str(self.committed),
                "grants": {partnership: str(amount) for partnership, amount in self.grants.items()}}

    def restore(self, state: dict[str, Any]) -> None:
        self.edition_id = state["edition_id"]
        self.committed = Decimal(state["committed"])
        self.grants = {partnership: Decimal(amount) for partnership, amount in state["grants"].items()}

    def apply(self, event) -> None:
        if isinstance(event, BudgetCommitted):
            self.edition_id = event.edition_id
            self.committed += event.amount
            self.grants[event.partnership_id] = event.amount
        elif isinstance(event, BudgetReleased):
            self.committed -= event.amount
            self.grants.pop(event.partnership_id, None)
        else:
            super().apply(event)
