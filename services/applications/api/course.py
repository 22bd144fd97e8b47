"""An enrolment edition's course: trainings, trainers' monitoring visits, each institution's programme and withdrawal."""

import uuid
from typing import Any

from sqlalchemy.orm import Session

from infra.web.app import read, send
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.http import abort, etag, expected_version
from services.applications import commands, course, queries
from services.applications.schemas import (
    EnrolmentOut,
    MonitoringVisitIn,
    MonitoringVisitOut,
    ProgrammeIn,
    TrainingIn,
    TrainingOut,
    WithdrawIn,
)

blp = Blueprint("course", __name__, url_prefix="/api/v1/editions",
                description="Przebieg edycji ze zgłoszeniami: szkolenia, wizyty monitorujące, programy wolontariatu, wycofania")


def _edition(session: Session, edition_id: str) -> None:
    if queries.edition(session, edition_id) is None:
        abort(404, message=f"Nie ma edycji {edition_id}.")


def _enrolment(session: Session, edition_id: str, institution_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    found = queries.enrolment(session, edition_id, institution_id)
    if found is None:
        abort(404, message=f"Instytucja {institution_id} nie jest zgłoszona do edycji {edition_id}.")
    return found, 200, etag(found["version"])


@blp.route("/<uuid:edition_id>/enrolments/<uuid:institution_id>", methods=["GET"])
@blp.response(200, EnrolmentOut)
def enrolment(edition_id, institution_id):
    """Zgłoszenie jednej instytucji: szkolenia, wizyty, program, wycofanie (ETag niesie wersję, do If-Match)"""
    return read(_enrolment, edition_id, institution_id)


@blp.route("/<uuid:edition_id>/enrolments/<uuid:institution_id>/withdraw", methods=["POST"])
@requires("applications:write")
@blp.arguments(WithdrawIn)
@blp.response(200, EnrolmentOut)
def withdraw(body, edition_id, institution_id):
    """Wycofuje instytucję z edycji (z powodem); potem nie dostaje już szkoleń, wizyt ani programu (409 withdrawn)"""
    command = commands.WithdrawEnrolment(edition_id, institution_id, **body, expected_version=expected_version())
    return send(command, _enrolment, edition_id, institution_id)


@blp.route("/<uuid:edition_id>/enrolments/<uuid:institution_id>/programme", methods=["POST"])
@requires("applications:write")
@blp.arguments(ProgrammeIn)
@blp.response(200, EnrolmentOut)
def adopt_programme(body, edition_id, institution_id):
    """Dzień, w którym instytucja przyjęła swój program wolontariatu (raz: drugi raz to 409)"""
    command = commands.AdoptProgramme(edition_id, institution_id, **body, expected_version=expected_version())
    return send(command, _enrolment, edition_id, institution_id)


@blp.route("/<uuid:edition_id>/trainings", methods=["GET"])
@blp.response(200, TrainingOut(many=True))
def trainings(edition_id):
    """Szkolenia, wizyty studyjne i spotkania edycji, z instytucjami, które wzięły w nich udział"""
    read(_edition, edition_id)
    return read(course.training_list, edition_id)


@blp.route("/<uuid:edition_id>/trainings", methods=["POST"])
@requires("applications:write")
@blp.arguments(TrainingIn)
@blp.response(201, TrainingOut)
def record_training(body, edition_id):
    """Zapisuje szkolenie, wizytę studyjną albo spotkanie instytucji zgłoszonych do edycji (422 not_enrolled)"""
    training_id = str(uuid.uuid4())
    return send(commands.RecordTraining(training_id, edition_id, **body), course.training, edition_id, training_id)


@blp.route("/<uuid:edition_id>/monitoring-visits", methods=["GET"])
@blp.response(200, MonitoringVisitOut(many=True))
def visits(edition_id):
    """Wizyty monitorujące trenerów w instytucjach edycji, z etapem wdrażania wolontariatu"""
    read(_edition, edition_id)
    return read(course.visit_list, edition_id)


@blp.route("/<uuid:edition_id>/monitoring-visits", methods=["POST"])
@requires("applications:write")
@blp.arguments(MonitoringVisitIn)
@blp.response(201, MonitoringVisitOut)
def record_visit(body, edition_id):
    """Zapisuje wizytę monitorującą trenera w instytucji zgłoszonej do edycji i etap, na którym ją zastał"""
    visit_id = str(uuid.uuid4())
    return send(commands.RecordMonitoringVisit(visit_id, edition_id, **body), course.visit, edition_id, visit_id)
