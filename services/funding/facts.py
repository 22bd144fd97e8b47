"""What the funding handlers read beside the events: the cases and editions learnt from applications."""

from __future__ import annotations

import dataclasses
from typing import Protocol

from sqlalchemy.orm import Session

from services.funding import queries
from services.funding.domain.rules import CaseFacts, EditionRules


class Facts(Protocol):
    def edition_of(self, partnership_id: str) -> str | None:
        """The edition of a proposed partnership's case (None when funding has no such proposal)."""

    def case(self, partnership_id: str) -> CaseFacts | None:
        """The proposal's facts, its row held until commit, so a withdrawal waits for the decision."""

    def rules(self, edition_id: str) -> EditionRules | None:
        """The edition's rules, once funding has learnt them."""


@dataclasses.dataclass
class SqlFacts:
    session: Session

    def edition_of(self, partnership_id: str) -> str | None:
        return queries.case_edition(self.session, partnership_id)

    def case(self, partnership_id: str) -> CaseFacts | None:
        return queries.case_facts(self.session, partnership_id, lock=True)

    def rules(self, edition_id: str) -> EditionRules | None:
        return queries.edition_rules(self.session, edition_id)


@dataclasses.dataclass
class MemoryFacts:
    """Cases and editions as dictionaries, for handlers' unit tests."""

    cases: dict[str, CaseFacts] = dataclasses.field(default_factory=dict)
    editions: dict[str, EditionRules] = dataclasses.field(default_factory=dict)

    def edition_of(self, partnership_id: str) -> str | None:
        case = self.cases.get(partnership_id)
        return case.edition_id if case is not None else None

    def case(self, partnership_id: str) -> CaseFacts | None:
        return self.cases.get(partnership_id)

    def rules(self, edition_id: str) -> EditionRules | None:
        return self.editions.get(edition_id)
