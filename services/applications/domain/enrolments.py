"""An institution enrolled in an edition of a single-institution programme (e.g. libraries), and its path through it:
trainers' monitoring visits, its volunteering programme, its withdrawal."""

from __future__ import annotations

import datetime
import uuid

from contracts.applications import (
    EnrolmentWithdrawn,
    InstitutionEnrolled,
    MonitoringVisitMade,
    VolunteeringProgrammeAdopted,
)
from contracts.vocabulary import EditionKind
from infra.errors import Conflict, RuleBroken
from infra.eventstore.aggregate import Aggregate
from infra.freetext import required_words
from infra.polish import day
from services.applications.domain.editions import KIND_WORDS, Edition
from services.applications.domain.institutions import InstitutionFacts

_NAMESPACE = uuid.UUID("5b0c3f6e-7d55-4d8e-9a43-0f1f0b6c2a11")


def enrolment_id(edition_id: str, institution_id: str) -> str:
    """One enrolment per institution and edition: the id is derived, so a second one conflicts."""
    return str(uuid.uuid5(_NAMESPACE, f"{edition_id}/{institution_id}"))


class Enrolment(Aggregate):
    """Enrolled once; visited by trainers, adopts its programme once; withdrawn at most once, after which it gets nothing new.

    Its visits, programme and withdrawal are one stream: a visit and a withdrawal sent at one time cannot both go in
    at the same version, so a visit never lands after the withdrawal it did not see.
    """

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.enrolled: InstitutionEnrolled | None = None
        self.withdrawn: EnrolmentWithdrawn | None = None
        self.programme: VolunteeringProgrammeAdopted | None = None

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

    @property
    def edition_id(self) -> str:
        assert self.enrolled is not None
        return self.enrolled.edition_id

    @property
    def institution_id(self) -> str:
        assert self.enrolled is not None
        return self.enrolled.institution_id

    def withdraw(self, reason: str, name: str) -> None:
        """The institution leaves the edition, with the reason; `name` is what staff call it."""
        if self.withdrawn is not None:
            raise Conflict(f"Instytucja „{name}” wycofała się już z tej edycji.", rule="withdrawn")
        reason = required_words(reason, field="reason", message="Podaj powód wycofania instytucji z edycji.",
                                rule="reason_required")
        self._record(EnrolmentWithdrawn(edition_id=self.edition_id, institution_id=self.institution_id, reason=reason))

    def visit(self, edition: Edition, visit_id: str, visited_on: datetime.date, stage: str, name: str) -> None:
        """A trainer's monitoring visit, and the stage at which it found the institution's work."""
        self.refuse_if_withdrawn(name, "wizyt monitorujących", field="institution_id")
        edition.require_opened_by(visited_on, "visited_on")
        self._record(MonitoringVisitMade(visit_id=visit_id, edition_id=self.edition_id,
                                         institution_id=self.institution_id, visited_on=visited_on, stage=stage))

    def adopt_programme(self, edition: Edition, adopted_on: datetime.date, name: str) -> None:
        """The day the institution adopted its volunteering programme: once."""
        self.refuse_if_withdrawn(name, "programu wolontariatu")
        if self.programme is not None:
            raise Conflict(f"Instytucja „{name}” przyjęła już swój program wolontariatu ({day(self.programme.adopted_on)}).",
                           rule="programme_adopted")
        edition.require_opened_by(adopted_on, "adopted_on")
        self._record(VolunteeringProgrammeAdopted(edition_id=self.edition_id, institution_id=self.institution_id,
                                                  adopted_on=adopted_on))

    def refuse_if_withdrawn(self, name: str, what: str, field: str | None = None) -> None:
        """A withdrawn institution gets nothing new: a 409, as a withdrawn partnership's changes are."""
        if self.withdrawn is not None:
            raise Conflict(f"Instytucja „{name}” wycofała się z tej edycji i nie dostaje już {what}.",
                           rule="withdrawn", field=field)

    def apply(self, event) -> None:
        if isinstance(event, InstitutionEnrolled):
            self.enrolled = event
        elif isinstance(event, EnrolmentWithdrawn):
            self.withdrawn = event
        elif isinstance(event, VolunteeringProgrammeAdopted):
            self.programme = event
        elif isinstance(event, MonitoringVisitMade):
            pass  # the visits are the read model's to list: no rule looks back at them
        else:
            super().apply(event)
