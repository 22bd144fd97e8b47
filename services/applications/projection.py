"""Folds the service's own events into its read model, in the transaction that appends them."""

from __future__ import annotations

import dataclasses

import orjson
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from contracts.applications import (
    EditionClosed,
    EditionOpened,
    EnrolmentWithdrawn,
    InstitutionDetailsChanged,
    InstitutionEnrolled,
    InstitutionRegistered,
    MALVerificationFailed,
    MALVerified,
    MonitoringVisitMade,
    PartnershipProposed,
    PartnershipWithdrawn,
    TrainingHeld,
    VolunteeringProgrammeAdopted,
)
from contracts.envelope import Envelope
from contracts.vocabulary import EditionStatus, MalStatus, PartnershipStatus
from infra.db.statements import built_once
from infra.projection import Projector
from services.applications.domain.enrolments import enrolment_id
from services.applications.domain.institutions import normalised_name
from services.applications.readmodel import (
    editions,
    enrolments,
    institutions,
    monitoring_visits,
    partnerships,
    training_attendance,
    trainings,
)

projector = Projector("applications")

_ADD_EDITION, _ADD_INSTITUTION, _ADD_PARTNERSHIP, _ADD_ENROLMENT = built_once(
    (insert(editions), insert(institutions), insert(partnerships), insert(enrolments))
)
_MALS_AMONG = built_once(
    select(institutions.c.id).where(institutions.c.id.in_(bindparam("ids", expanding=True)), institutions.c.is_mal)
)


@projector.on(EditionOpened)
def _edition_opened(session: Session, event: Envelope) -> None:
    e: EditionOpened = event.data
    caps = [dataclasses.asdict(c) | {"cap": str(c.cap)} for c in e.grant_caps]
    session.execute(
        _ADD_EDITION,
        dict(
            id=e.edition_id,
            programme=e.programme,
            name=e.name,
            year=e.year,
            round=e.round,
            kind=e.kind,
            mal_required=e.mal_required,
            grant_caps=orjson.dumps(caps).decode(),
            budget=e.budget,
            opens_on=e.opens_on,
            closes_on=e.closes_on,
            status=EditionStatus.OPEN,
            version=event.sequence,
            opened_at=event.time,
        )
    )


@projector.on(EditionClosed)
def _edition_closed(session: Session, event: Envelope) -> None:
    session.execute(
        update(editions)
        .where(editions.c.id == event.data.edition_id)
        .values(status=EditionStatus.CLOSED, closed_at=event.time, version=event.sequence)
    )


@projector.on(InstitutionRegistered)
def _institution_registered(session: Session, event: Envelope) -> None:
    e: InstitutionRegistered = event.data
    session.execute(
        _ADD_INSTITUTION,
        dict(
            id=e.institution_id,
            name=e.name,
            name_key=normalised_name(e.name),
            kind=e.kind,
            district=e.district,
            is_mal=e.is_mal,
            version=event.sequence,
            registered_at=event.time,
        )
    )


@projector.on(InstitutionDetailsChanged)
def _institution_changed(session: Session, event: Envelope) -> None:
    e: InstitutionDetailsChanged = event.data
    session.execute(
        update(institutions)
        .where(institutions.c.id == e.institution_id)
        .values(name=e.name, name_key=normalised_name(e.name), kind=e.kind, district=e.district, is_mal=e.is_mal,
                version=event.sequence)
    )


@projector.on(PartnershipProposed)
def _partnership_proposed(session: Session, event: Envelope) -> None:
    e: PartnershipProposed = event.data
    # The register as the proposal was judged on it (read in its transaction): a MAL check goes by these, not by
    # a correction made since.
    mals = set(session.execute(_MALS_AMONG, {"ids": list(e.institution_ids)}).scalars())
    session.execute(
        _ADD_PARTNERSHIP,
        dict(
            id=e.partnership_id,
            edition_id=e.edition_id,
            title=e.title,
            lead_institution_id=e.lead_institution_id,
            institution_ids=orjson.dumps(list(e.institution_ids)).decode(),
            size=len(e.institution_ids),
            mal_partner_ids=orjson.dumps([i for i in e.institution_ids if i in mals]).decode(),
            requested_amount=e.requested_amount,
            status=PartnershipStatus.PROPOSED,
            mal_status=MalStatus.PENDING,
            version=event.sequence,
            proposed_at=event.time,
            updated_at=event.time,
        )
    )


def _update_partnership(session: Session, event: Envelope, **values) -> None:
    session.execute(
        update(partnerships)
        .where(partnerships.c.id == event.data.partnership_id)
        .values(version=event.sequence, updated_at=event.time, **values)
    )


@projector.on(MALVerified)
def _mal_verified(session: Session, event: Envelope) -> None:
    _update_partnership(session, event, mal_status=MalStatus.VERIFIED, mal_institution_id=event.data.institution_id, mal_reason=None)


@projector.on(MALVerificationFailed)
def _mal_failed(session: Session, event: Envelope) -> None:
    _update_partnership(
        session, event, mal_status=MalStatus.FAILED, mal_institution_id=event.data.institution_id, mal_reason=event.data.reason
    )


@projector.on(PartnershipWithdrawn)
def _withdrawn(session: Session, event: Envelope) -> None:
    _update_partnership(session, event, status=PartnershipStatus.WITHDRAWN, withdrawn_reason=event.data.reason)


@projector.on(InstitutionEnrolled)
def _enrolled(session: Session, event: Envelope) -> None:
    e: InstitutionEnrolled = event.data
    session.execute(
        _ADD_ENROLMENT,
        dict(
            edition_id=e.edition_id,
            institution_id=e.institution_id,
            enrolment_id=enrolment_id(e.edition_id, e.institution_id),
            enrolled_at=event.time,
            version=event.sequence,
        )
    )


def _update_enrolment(session: Session, event: Envelope, **values) -> None:
    session.execute(
        update(enrolments)
        .where(enrolments.c.edition_id == event.data.edition_id, enrolments.c.institution_id == event.data.institution_id)
        .values(version=event.sequence, **values)
    )


@projector.on(EnrolmentWithdrawn)
def _enrolment_withdrawn(session: Session, event: Envelope) -> None:
    _update_enrolment(session, event, withdrawn_reason=event.data.reason, withdrawn_at=event.time)


@projector.on(VolunteeringProgrammeAdopted)
def _programme_adopted(session: Session, event: Envelope) -> None:
    _update_enrolment(session, event, programme_adopted_on=event.data.adopted_on)


@projector.on(MonitoringVisitMade)
def _visited(session: Session, event: Envelope) -> None:
    e: MonitoringVisitMade = event.data
    session.execute(
        insert(monitoring_visits),
        dict(id=e.visit_id, edition_id=e.edition_id, institution_id=e.institution_id, visited_on=e.visited_on,
             stage=e.stage, recorded_at=event.time),
    )
    _update_enrolment(session, event)


@projector.on(TrainingHeld)
def _training_held(session: Session, event: Envelope) -> None:
    e: TrainingHeld = event.data
    session.execute(
        insert(trainings),
        dict(id=e.training_id, edition_id=e.edition_id, kind=e.kind, title=e.title, held_on=e.held_on, hours=e.hours,
             recorded_at=event.time),
    )
    session.execute(
        insert(training_attendance),
        [dict(training_id=e.training_id, institution_id=i, edition_id=e.edition_id) for i in e.institution_ids],
    )
