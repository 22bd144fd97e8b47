"""What the applications handlers read beside the events: the institution register."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy.orm import Session

from infra.eventstore.records import StoredEvent
from services.applications import queries
from services.applications.domain.institutions import InstitutionFacts, normalised_name


class Facts(Protocol):
    def institution_named(self, name: str, district: str) -> dict[str, Any] | None:
        """The registered institution of that name (in any spelling of case and spaces) in the district."""

    def institutions(self, ids: Iterable[str]) -> dict[str, InstitutionFacts]:
        """The registered ones among `ids`."""

    def institutions_as_proposed(self, partnership_id: str, ids: Iterable[str]) -> dict[str, InstitutionFacts]:
        """The registered ones among `ids`, each a MAL only if it was one of the partnership's MALs when proposed."""


@dataclasses.dataclass
class SqlFacts:
    session: Session

    def institution_named(self, name: str, district: str) -> dict[str, Any] | None:
        return queries.institution_named(self.session, name, district)

    def institutions(self, ids: Iterable[str]) -> dict[str, InstitutionFacts]:
        return queries.institution_facts(self.session, list(ids))

    def institutions_as_proposed(self, partnership_id: str, ids: Iterable[str]) -> dict[str, InstitutionFacts]:
        return queries.institution_facts_as_proposed(self.session, partnership_id, list(ids))


@dataclasses.dataclass
class MemoryFacts:
    """The register as a list, for handlers' unit tests; `follow` keeps it in step with commits, as the projection does."""

    register: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    proposed_mals: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    """partnership id → its partners that were MALs when it was proposed"""

    def add(self, id: str, name: str, kind: str, district: str = "Wola", is_mal: bool = False) -> InstitutionFacts:
        self.register.append({"id": id, "name": name, "kind": kind, "district": district, "is_mal": is_mal})
        return InstitutionFacts(id=id, name=name, kind=kind, is_mal=is_mal)

    def institution_named(self, name: str, district: str) -> dict[str, Any] | None:
        key = normalised_name(name)
        return next((i for i in self.register if normalised_name(i["name"]) == key and i["district"] == district), None)

    def institutions(self, ids: Iterable[str]) -> dict[str, InstitutionFacts]:
        wanted = set(ids)
        return {i["id"]: InstitutionFacts(id=i["id"], name=i["name"], kind=i["kind"], is_mal=i["is_mal"])
                for i in self.register if i["id"] in wanted}

    def institutions_as_proposed(self, partnership_id: str, ids: Iterable[str]) -> dict[str, InstitutionFacts]:
        judged = self.proposed_mals.get(partnership_id, [])
        return {i: dataclasses.replace(f, is_mal=i in judged) for i, f in self.institutions(ids).items()}

    def follow(self, stored: list[StoredEvent]) -> None:
        """Folds committed events into the fake register and the proposals' MALs."""
        for event in stored:
            data = event.data
            if event.type == "InstitutionRegistered":
                self.add(data["institution_id"], data["name"], data["kind"], data["district"], data["is_mal"])
            elif event.type == "InstitutionDetailsChanged":
                row = next(i for i in self.register if i["id"] == data["institution_id"])
                row.update(name=data["name"], kind=data["kind"], district=data["district"], is_mal=data["is_mal"])
            elif event.type == "PartnershipProposed":
                partners = self.institutions(data["institution_ids"])
                self.proposed_mals[data["partnership_id"]] = [i for i in data["institution_ids"] if partners[i].is_mal]
