"""Each enrolled institution's path through an enrolment edition, as it stood at a moment: enrolled → trained → visited
by a trainer → programme adopted → volunteers active, and the step each one waits for.

The steps are read from the same facts as the summary's figures (a library counts as trained here exactly when
`training.institutions_trained` counts it), so the page's table and the figures beside it agree.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from enum import StrEnum

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from services.reporting.readmodel import enrolments, memberships, monitoring_visits, training_attendance
from services.reporting.readmodel.figures import MEASURES
from services.reporting.readmodel.registry import with_details
from services.reporting.readmodel.timeline import Moment, known, not_yet


class Step(StrEnum):
    """A step of an institution's path through an edition, in the order the programme means them to follow."""

    ENROLLED = "enrolled"
    TRAINED = "trained"
    VISITED = "visited"
    ADOPTED = "adopted"
    ACTIVE = "active"  # at least one volunteer active in it


@dataclasses.dataclass(frozen=True)
class Path:
    institution_id: str
    name: str | None
    district: str | None
    enrolled_at: datetime.datetime
    trainings: int
    visits: int
    last_stage: str | None  # the stage the latest monitoring visit found
    adopted_on: datetime.date | None
    volunteers_active: int
    withdrawn_at: datetime.datetime | None
    withdrawn_reason: str | None

    @property
    def reached(self) -> frozenset[Step]:
        done = {Step.ENROLLED: True, Step.TRAINED: self.trainings > 0, Step.VISITED: self.visits > 0,
                Step.ADOPTED: self.adopted_on is not None, Step.ACTIVE: self.volunteers_active > 0}
        return frozenset(step for step, yes in done.items() if yes)

    @property
    def waits_for(self) -> Step | None:
        """The first step not reached yet (None: the whole path, or withdrawn: it waits for nothing)."""
        if self.withdrawn_at is not None:
            return None
        return next((step for step in Step if step not in self.reached), None)


@dataclasses.dataclass(frozen=True)
class StepCount:
    step: Step
    reached: int  # institutions that reached the step (withdrawn ones too, for what they did before)
    waiting: list[Path]  # institutions still in the edition whose first missing step this is


def paths_of(session: Session, edition_id: str, as_of: Moment) -> list[Path]:
    """The path of every institution enrolled in the edition by `as_of`, by name."""
    e = enrolments.c
    joined, details = with_details(enrolments, e.institution_id, as_of)
    adopted, withdrawn = MEASURES["training.programmes_adopted"].counts(as_of), known(e.withdrawn_at, as_of)
    rows = session.execute(
        select(e.institution_id, details.name.label("name"), details.district.label("district"), e.enrolled_at,
               case((adopted, e.adopted_on)).label("adopted_on"), case((withdrawn, e.withdrawn_at)).label("withdrawn_at"),
               case((withdrawn, e.withdrawn_reason)).label("withdrawn_reason"))
        .select_from(joined)
        .where(e.edition_id == edition_id, known(e.enrolled_at, as_of))
    ).all()
    trained = _per_institution(session, select(
        training_attendance.c.institution_id, func.count(distinct(training_attendance.c.training_id))
    ).where(training_attendance.c.edition_id == edition_id, MEASURES["training.institutions_trained"].counts(as_of)))
    v = monitoring_visits.c
    visits: dict[str, list[str]] = defaultdict(list)
    for visit in session.execute(
        select(v.institution_id, v.stage).where(v.edition_id == edition_id, MEASURES["training.monitoring_visits"].counts(as_of))
        .order_by(v.visited_on, v.visited_at, v.visit_id)
    ):
        visits[visit.institution_id].append(visit.stage)
    m = memberships.c
    active = _per_institution(session, select(m.institution_id, func.count(distinct(m.volunteer_id))).where(
        m.edition_id == edition_id, known(m.joined_at, as_of), not_yet(m.left_at, as_of)))
    found = [
        Path(r.institution_id, r.name, r.district, r.enrolled_at, trained.get(r.institution_id, 0), len(visits[r.institution_id]),
             visits[r.institution_id][-1] if visits[r.institution_id] else None, r.adopted_on, active.get(r.institution_id, 0),
             r.withdrawn_at, r.withdrawn_reason)
        for r in rows
    ]
    return sorted(found, key=lambda p: ((p.name or "").casefold(), p.institution_id))


def _per_institution(session: Session, statement) -> dict[str, int]:
    """A count per institution (the statement selects the institution and the count, grouped here)."""
    return {institution: int(n) for institution, n in session.execute(statement.group_by(statement.selected_columns[0]))}


def steps(found: list[Path]) -> list[StepCount]:
    """For each step: how many institutions reached it, and which of those still in the edition wait for it."""
    return [StepCount(step, sum(1 for p in found if step in p.reached), [p for p in found if p.waits_for is step]) for step in Step]
