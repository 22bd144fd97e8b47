"""Reads of an enrolment edition's course: its trainings and trainers' monitoring visits, with institution names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.applications.readmodel import institutions, monitoring_visits, training_attendance, trainings


def training_list(session: Session, edition_id: str, institution_id: str | None = None,
                  training_id: str | None = None) -> list[dict[str, Any]]:
    """The edition's trainings (of one institution, or one training) in the order they were held, with who attended."""
    query = select(trainings).where(trainings.c.edition_id == edition_id)
    if training_id is not None:
        query = query.where(trainings.c.id == training_id)
    if institution_id is not None:
        query = query.where(trainings.c.id.in_(select(training_attendance.c.training_id).where(
            training_attendance.c.edition_id == edition_id, training_attendance.c.institution_id == institution_id)))
    found = [dict(r._mapping) | {"institutions": []} for r in
             session.execute(query.order_by(trainings.c.held_on, trainings.c.recorded_at, trainings.c.id))]
    by_id = {t["id"]: t for t in found}
    if by_id:
        attended = session.execute(
            select(training_attendance.c.training_id, institutions.c.id, institutions.c.name, institutions.c.district)
            .join(institutions, institutions.c.id == training_attendance.c.institution_id)
            .where(training_attendance.c.training_id.in_(list(by_id)))
            .order_by(institutions.c.name_key, institutions.c.district)
        )
        for row in attended:
            by_id[row.training_id]["institutions"].append({"id": row.id, "name": row.name, "district": row.district})
    for t in found:
        t["institution_ids"] = [i["id"] for i in t["institutions"]]
    return found


def training(session: Session, edition_id: str, training_id: str) -> dict[str, Any] | None:
    found = training_list(session, edition_id, training_id=training_id)
    return found[0] if found else None


def visit_list(session: Session, edition_id: str, institution_id: str | None = None,
               visit_id: str | None = None) -> list[dict[str, Any]]:
    """The edition's monitoring visits (to one institution, or one visit) in the order they were made, with names."""
    query = (
        select(monitoring_visits, institutions.c.name, institutions.c.district)
        .join(institutions, institutions.c.id == monitoring_visits.c.institution_id)
        .where(monitoring_visits.c.edition_id == edition_id)
        .order_by(monitoring_visits.c.visited_on, monitoring_visits.c.recorded_at, monitoring_visits.c.id)
    )
    if institution_id is not None:
        query = query.where(monitoring_visits.c.institution_id == institution_id)
    if visit_id is not None:
        query = query.where(monitoring_visits.c.id == visit_id)
    return [dict(r._mapping) for r in session.execute(query)]


def visit(session: Session, edition_id: str, visit_id: str) -> dict[str, Any] | None:
    found = visit_list(session, edition_id, visit_id=visit_id)
    return found[0] if found else None
