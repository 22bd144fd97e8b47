"""A city institution that can join partnerships and enrol in editions."""

from __future__ import annotations

import dataclasses

from contracts.applications import InstitutionRegistered
from contracts.vocabulary import InstitutionKind
from infra.eventstore.aggregate import Aggregate
from infra.freetext import required_words


@dataclasses.dataclass(frozen=True)
class InstitutionFacts:
    """What a proposal needs to know about a partner."""

    id: str
    name: str
    kind: str
    is_mal: bool


def normalised_name(name: str) -> str:
    """Names compare without case or repeated spaces: "Biblioteka  Wola" == "biblioteka wola"."""
    return " ".join(name.split()).casefold()


class Institution(Aggregate):
    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.registered: InstitutionRegistered | None = None

    @classmethod
    def register(cls, id: str, name: str, kind: str, district: str, is_mal: bool) -> Institution:
        name = required_words(name, field="name", message="Podaj nazwę instytucji.")
        institution = cls(id)
        # A Local Activity Centre is a MAL by definition.
        institution._record(
            InstitutionRegistered(
                institution_id=id, name=name, kind=kind, district=district, is_mal=is_mal or kind == InstitutionKind.MAL
            )
        )
        return institution

    def apply(self, event) -> None:
        if isinstance(event, InstitutionRegistered):
            self.registered = event
        else:
            super().apply(event)
