"""Funding's event registry: the public contracts plus its one private event."""

from __future__ import annotations

from dataclasses import dataclass

from contracts import PUBLIC
from contracts.types import Id, Money

REGISTRY = PUBLIC.child()
"""Every event funding reads or writes; BudgetCommitted and BudgetReleased never leave the service."""


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class BudgetCommitted:
    """Part of an edition's budget promised to a partnership, in the transaction of its grant."""

    edition_id: Id
    partnership_id: Id
    amount: Money


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class BudgetReleased:
    """A revoked grant's amount given back to its edition's budget, in the transaction of the revocation."""

    edition_id: Id
    partnership_id: Id
    amount: Money
