"""Reads of the applications read model, for views and for the handlers' checks."""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from contracts.vocabulary import EditionStatus, MalStatus, PartnershipStatus
from infra.db.statements import built_once
from services.applications.domain.institutions import InstitutionFacts, normalised_name
from services.applications.readmodel import (
    editions,
    enrolments,
    institutions,
    monitoring_visits,
    partnerships,
    training_attendance,
)


def _edition(row) -> dict[str, Any]:
    return dict(row._mapping) | {"grant_caps": orjson.loads(row.grant_caps)}


_EDITION = built_once(select(editions).where(editions.c.id == bindparam("id")))
_INSTITUTION = built_once(select(institutions).where(institutions.c.id == bindparam("id")))


def edition(session: Session, edition_id: str) -> dict[str, Any] | None:
    row = session.execute(_EDITION, {"id": edition_id}).first()
    return _edition(row) if row else None


def edition_list(session: Session, programme: str | None = None) -> list[dict[str, Any]]:
    query = select(editions).order_by(editions.c.year.desc(), editions.c.opens_on.desc(), editions.c.name)
    if programme:
        query = query.where(editions.c.programme == programme)
    return [_edition(r) for r in session.execute(query)]


def institution(session: Session, institution_id: str) -> dict[str, Any] | None:
    row = session.execute(_INSTITUTION, {"id": institution_id}).first()
    return dict(row._mapping) if row else None


def institution_list(session: Session, district: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    query = select(institutions).order_by(institutions.c.district, institutions.c.name)
    if district:
        query = query.where(institutions.c.district == district)
    if kind:
        query = query.where(institutions.c.kind == kind)
    return [dict(r._mapping) for r in session.execute(query)]


def institution_named(session: Session, name: str, district: str) -> dict[str, Any] | None:
    row = session.execute(
        select(institutions).where(
            institutions.c.name_key == normalised_name(name), institutions.c.district == district
        )
    ).first()
    return dict(row._mapping) if row else None


_FACTS = built_once(select(institutions).where(institutions.c.id.in_(bindparam("ids", expanding=True))))


def institution_facts(session: Session, ids: list[str]) -> dict[str, InstitutionFacts]:
    rows = session.execute(_FACTS, {"ids": ids})
    return {r.id: InstitutionFacts(id=r.id, name=r.name, kind=r.kind, is_mal=r.is_mal) for r in rows}


_JUDGED_MALS = built_once(select(partnerships.c.mal_partner_ids).where(partnerships.c.id == bindparam("id")))


def institution_facts_as_proposed(session: Session, partnership_id: str, ids: list[str]) -> dict[str, InstitutionFacts]:
    """`institution_facts`, each a MAL only if it was one of the partnership's MALs when proposed."""
    judged = session.execute(_JUDGED_MALS, {"id": partnership_id}).scalar()
    mals = set(orjson.loads(judged)) if judged else set()
    return {i: dataclasses.replace(f, is_mal=i in mals) for i, f in institution_facts(session, ids).items()}


def _partnership(row) -> dict[str, Any]:
    return dict(row._mapping) | {"institution_ids": orjson.loads(row.institution_ids)}


_PARTNERSHIP = built_once(select(partnerships).where(partnerships.c.id == bindparam("id")))


def partnership(session: Session, partnership_id: str) -> dict[str, Any] | None:
    row = session.execute(_PARTNERSHIP, {"id": partnership_id}).first()
    return _partnership(row) if row else None


def partnership_list(session: Session, edition_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    query = select(partnerships).order_by(partnerships.c.proposed_at, partnerships.c.id)
    if edition_id:
        query = query.where(partnerships.c.edition_id == edition_id)
    if status:
        query = query.where(partnerships.c.status == status)
    return [_partnership(r) for r in session.execute(query)]


def _enrolments(edition_id: str):
    def among_them(table):
        return (table.c.edition_id == enrolments.c.edition_id) & (table.c.institution_id == enrolments.c.institution_id)

    return (
        select(
            enrolments, institutions.c.name, institutions.c.district, institutions.c.kind,
            select(func.count()).where(among_them(training_attendance)).scalar_subquery().label("trainings"),
            select(func.count()).where(among_them(monitoring_visits)).scalar_subquery().label("monitoring_visits"),
            select(monitoring_visits.c.stage).where(among_them(monitoring_visits))
            .order_by(monitoring_visits.c.visited_on.desc(), monitoring_visits.c.recorded_at.desc())
            .limit(1).scalar_subquery().label("last_stage"),
        )
        .join(institutions, institutions.c.id == enrolments.c.institution_id)
        .where(enrolments.c.edition_id == edition_id)
        .order_by(enrolments.c.enrolled_at, institutions.c.name_key)
    )


def _enrolment(row) -> dict[str, Any]:
    return dict(row._mapping) | {"status": "withdrawn" if row.withdrawn_at is not None else "enrolled"}


def enrolment_list(session: Session, edition_id: str) -> list[dict[str, Any]]:
    """The edition's enrolled institutions, each with where it stands: trainings, visits, programme, withdrawal."""
    return [_enrolment(r) for r in session.execute(_enrolments(edition_id))]


def enrolment(session: Session, edition_id: str, institution_id: str) -> dict[str, Any] | None:
    row = session.execute(_enrolments(edition_id).where(enrolments.c.institution_id == institution_id)).first()
    return _enrolment(row) if row else None


def counts(session: Session, edition_id: str) -> dict[str, int]:
    proposed = session.execute(
        select(func.count()).select_from(partnerships).where(partnerships.c.edition_id == edition_id)
    ).scalar_one()
    enrolled = session.execute(
        select(func.count()).select_from(enrolments).where(enrolments.c.edition_id == edition_id)
    ).scalar_one()
    return {"partnerships": proposed, "enrolments": enrolled}


def mal_worklist(session: Session, edition_id: str | None = None) -> list[dict[str, Any]]:
    """Proposals whose MAL still waits for a check, in editions that require one: the oldest first."""
    query = (
        select(partnerships, editions.c.name.label("edition_name"))
        .join(editions, editions.c.id == partnerships.c.edition_id)
        .where(editions.c.mal_required.is_(True), partnerships.c.mal_status == MalStatus.PENDING,
               partnerships.c.status == PartnershipStatus.PROPOSED)
        .order_by(partnerships.c.proposed_at, partnerships.c.id)
    )
    if edition_id:
        query = query.where(partnerships.c.edition_id == edition_id)
    return [_partnership(r) for r in session.execute(query)]


def desk(session: Session) -> dict[str, int]:
    """What the start page counts: open editions, proposals in them, MAL checks waiting, the register's size."""
    def number(query) -> int:
        return session.execute(query).scalar_one()

    open_ids = select(editions.c.id).where(editions.c.status == EditionStatus.OPEN)
    return {
        "open_editions": number(select(func.count()).select_from(editions).where(editions.c.status == EditionStatus.OPEN)),
        "proposals": number(select(func.count()).select_from(partnerships).where(
            partnerships.c.edition_id.in_(open_ids), partnerships.c.status == PartnershipStatus.PROPOSED)),
        "mal_pending": len(mal_worklist(session)),
        "institutions": number(select(func.count()).select_from(institutions)),
    }
