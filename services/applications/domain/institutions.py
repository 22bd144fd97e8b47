"""A city institution that can join partnerships and enrol in editions."""

from __future__ import annotations

import dataclasses

from contracts.applications import InstitutionDetailsChanged, InstitutionRegistered
from contracts.vocabulary import InstitutionKind
from infra.errors import RuleBroken
from infra.eventstore.aggregate import Aggregate
from infra.freetext import folded, required_words


@dataclasses.dataclass(frozen=True)
class InstitutionFacts:
    """What a proposal needs to know about a partner."""

    id: str
    name: str
    kind: str
    is_mal: bool


NAME_KEY_LENGTH = 400
"""How much of a folded name its key keeps: a 200-character name folds longer only through rare ligatures (one
character can fold into eighteen), and a key this long still fits a PostgreSQL index."""


def normalised_name(name: str) -> str:
    """The register's key of a name: `folded`, so "Biblioteka  Wola", "BIBLIOTEKA WOLA" and look-alikes are one name."""
    return folded(name)[:NAME_KEY_LENGTH]


NOTHING_TO_CORRECT = "Podaj co najmniej jedno pole do poprawienia: name, kind, district albo is_mal."


class Institution(Aggregate):
    """Registered once; its details (name, kind, district, MAL) corrected any number of times, each in full."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.details: InstitutionRegistered | InstitutionDetailsChanged | None = None

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

    def correct(self, *, name: str | None = None, kind: str | None = None, district: str | None = None,
                is_mal: bool | None = None) -> InstitutionDetailsChanged | None:
        """Records the register's corrected details, all of them as they now stand; None when nothing changes."""
        if name is None and kind is None and district is None and is_mal is None:
            raise RuleBroken(NOTHING_TO_CORRECT, rule="nothing_to_correct")
        assert self.details is not None
        now = self.details
        kind = now.kind if kind is None else kind
        if kind == InstitutionKind.MAL and is_mal is False:
            # Registration makes a MAL-kind institution a MAL silently; a correction asking for the opposite is refused.
            raise RuleBroken("Instytucja rodzaju „MAL” jest Miejscem Aktywności Lokalnej z definicji. "
                             "Aby zdjąć oznaczenie MAL, zmień też jej rodzaj.", rule="mal_by_kind", field="is_mal")
        changed = InstitutionDetailsChanged(
            institution_id=self.id,
            name=now.name if name is None else required_words(name, field="name", message="Podaj nazwę instytucji."),
            kind=kind,
            district=now.district if district is None else district,
            is_mal=kind == InstitutionKind.MAL or (now.is_mal if is_mal is None else is_mal),
        )
        if (changed.name, changed.kind, changed.district, changed.is_mal) == (now.name, now.kind, now.district, now.is_mal):
            return None
        self._record(changed)
        return changed

    def apply(self, event) -> None:
        if isinstance(event, (InstitutionRegistered, InstitutionDetailsChanged)):
            self.details = event  # both carry every detail: the latest is the institution as it stands
        else:
            super().apply(event)
