"""The fact rows of an enrolment edition as it runs: trainings and who attended them, trainers' monitoring visits,
adopted programmes and withdrawals."""

from __future__ import annotations

import decimal
from collections.abc import Iterable

from contracts.applications import EnrolmentWithdrawn, MonitoringVisitMade, TrainingHeld, VolunteeringProgrammeAdopted
from contracts.envelope import Envelope
from services.reporting.readmodel import Role, Stage, enrolments, monitoring_visits, training_attendance, trainings
from services.reporting.readmodel.projector import FactRow, edition_named, on_roster, projector, stamp


def centihours(hours: decimal.Decimal | None) -> int | None:
    """Hours as an exact integer number of hundredths (the contract's hours have at most two decimal places)."""
    if hours is None:
        return None
    return int((hours * 100).to_integral_value(rounding=decimal.ROUND_HALF_UP))


@projector.facts(TrainingHeld)
def _training_held(event: Envelope) -> Iterable[FactRow]:
    e: TrainingHeld = event.data
    yield edition_named(e.edition_id)
    yield trainings, {
        "training_id": e.training_id,
        "edition_id": e.edition_id,
        "kind": e.kind,
        "title": e.title,
        "held_on": e.held_on,
        "hours_ch": centihours(e.hours),
        **stamp(Stage.HELD, event),
    }
    for institution_id in dict.fromkeys(e.institution_ids):
        yield training_attendance, {
            "training_id": e.training_id,
            "institution_id": institution_id,
            "edition_id": e.edition_id,
            **stamp(Stage.HELD, event),
        }
        yield on_roster(e.edition_id, Role.TRAINED, institution_id, event)


@projector.facts(MonitoringVisitMade)
def _monitoring_visit_made(event: Envelope) -> Iterable[FactRow]:
    e: MonitoringVisitMade = event.data
    yield edition_named(e.edition_id)
    yield monitoring_visits, {
        "visit_id": e.visit_id,
        "edition_id": e.edition_id,
        "institution_id": e.institution_id,
        "visited_on": e.visited_on,
        "stage": e.stage,
        **stamp(Stage.VISITED, event),
    }
    yield on_roster(e.edition_id, Role.VISITED, e.institution_id, event)


@projector.facts(VolunteeringProgrammeAdopted)
def _programme_adopted(event: Envelope) -> Iterable[FactRow]:
    e: VolunteeringProgrammeAdopted = event.data
    yield edition_named(e.edition_id)
    yield enrolments, {"edition_id": e.edition_id, "institution_id": e.institution_id, "adopted_on": e.adopted_on,
                       **stamp(Stage.ADOPTED, event)}
    yield on_roster(e.edition_id, Role.ADOPTED, e.institution_id, event)


@projector.facts(EnrolmentWithdrawn)
def _enrolment_withdrawn(event: Envelope) -> Iterable[FactRow]:
    e: EnrolmentWithdrawn = event.data
    yield edition_named(e.edition_id)
    yield enrolments, {"edition_id": e.edition_id, "institution_id": e.institution_id, "withdrawn_reason": e.reason,
                       **stamp(Stage.WITHDRAWN, event)}
