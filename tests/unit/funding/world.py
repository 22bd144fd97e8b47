"""Funding's handlers on the in-memory unit of work: an edition and cases as funding would have learnt them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from contracts.applications import GrantCap
from services.funding.commands import GrantFunding
from services.funding.domain.rules import VERIFIED, CaseFacts, EditionRules
from tests.support.memory import Memory

CAPS = (GrantCap(2, 3, Decimal("6000.00")), GrantCap(4, None, Decimal("10000.00")))


def uid() -> str:
    return str(uuid.uuid4())


class Funding(Memory):
    def edition(self, budget: str | None = None) -> str:
        """A partnership edition funding has learnt (MAL required), with a budget if given."""
        edition_id = uid()
        self.facts.editions[edition_id] = EditionRules(edition_id, "Partnerstwa 2021 – tura jesienna", "partnership",
                                                       True, CAPS, Decimal(budget) if budget else None)
        return edition_id

    def case(self, edition_id: str | None = None, size: int = 3, requested: str = "6000.00",
             mal_status: str = VERIFIED, **overrides) -> str:
        """A proposal funding has learnt of (in a new edition unless given)."""
        partnership_id = uid()
        self.facts.cases[partnership_id] = CaseFacts(
            partnership_id, edition_id or self.edition(), size, Decimal(requested), mal_status=mal_status, **overrides
        )
        return partnership_id

    def grant(self, partnership_id: str, amount: str, **kwargs) -> str:
        return self.run(GrantFunding(partnership_id, Decimal(amount), **kwargs))

    def decision(self, partnership_id: str) -> dict:
        [stored] = self.store.load(partnership_id)
        return {"type": stored.type, "version": stored.version, **stored.data}
