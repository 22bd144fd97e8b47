"""An institution enrolled in an edition of a single-institution programme (e.g. libraries)."""

from __future__ import annotations

import uuid

from contracts.applications import InstitutionEnrolled
from contracts.vocabulary import EditionKind
from infra.errors import RuleBroken
from infra.eventstore.aggregate import Aggregate
from services.applications.domain.editions import KIND_WORDS, Edition
from services.applications.domain.institutions import InstitutionFacts

_NAMESPACE = uuid.UUID("5b0c3f6e-7d55-4d8e-9a43-0f1f0b6c2a11")


def enrolment_id(edition_id: str, institution_id: str) -> str:
    """One enrolment per institution and edition: the id is derived, so a second one conflicts."""
    return str(uuid.uuid5(_NAMESPACE, f"{edition_id}/{institution_id}"))


class Enrolment(Aggregate):
    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.enrolled: InstitutionEnrolled | None = None

    @classmethod
    def enrol(cls, edition: Edition, institution: InstitutionFacts | None, institution_id: str) -> Enrolment:
        if edition.closed:
            raise RuleBroken(f"Edycja „{edition.name}” jest zamknięta i nie przyjmuje zgłoszeń.",
                             rule="edition_closed", field="edition_id")
        if edition.rules.kind != EditionKind.ENROLMENT:
            raise RuleBroken(f"Edycja „{edition.name}” przyjmuje wnioski partnerstw, nie zgłoszenia pojedynczych instytucji.",
                             rule="edition_kind", field="edition_id")
        if institution is None:
            raise RuleBroken(f"Nieznana instytucja: {institution_id}. Najpierw zarejestruj ją w rejestrze instytucji.",
                             rule="unknown_institution", field="institution_id")
        # An edition whose programme names no kinds (opened before programme and kind were checked together)
        # keeps taking any institution.
        if edition.enrolling and institution.kind not in edition.enrolling:
            welcome = ", ".join(KIND_WORDS.get(kind, kind) for kind in edition.enrolling)
            raise RuleBroken(f"Do edycji „{edition.name}” zgłaszają się tylko {welcome}; „{institution.name}” jest "
                             f"instytucją innego rodzaju ({institution.kind}).", rule="institution_kind", field="institution_id")
        enrolment = cls(enrolment_id(edition.id, institution.id))
        enrolment._record(InstitutionEnrolled(edition_id=edition.id, institution_id=institution.id))
        return enrolment

    def apply(self, event) -> None:
        if isinstance(event, InstitutionEnrolled):
            self.enrolled = event
        else:
            super().apply(event)
