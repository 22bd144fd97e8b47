"""What the applications handlers read beside the events: the institution register."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy.orm import Session

from services.applications import queries
from services.applications.domain.institutions import InstitutionFacts, normalised_name


class Facts(Protocol):
    def institution_named(self, name: str, district: str) -> dict[str, Any] | None:
        """The registered institution of that name (in any spelling of case and spaces) in the district."""

    def institutions(self, ids: Iterable[str]) -> dict[str, InstitutionFacts]:
        """The registered ones among `ids`."""


@dataclasses.dataclass
class SqlFacts:
    session: Session

    def institution_named(self, name: str, district: str) -> dict[str, Any] | None:
        return queries.institution_named(self.session, name, district)

    def institutions(self, ids: Iterable[str]) -> dict[str, InstitutionFacts]:
        return queries.institution_facts(self.session, list(ids))


@dataclasses.dataclass
class MemoryFacts:
    """The register as a list, for handlers' unit tests."""

    register: list[dict[str, Any]] = dataclasses.field(default_factory=list)

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
