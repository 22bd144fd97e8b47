"""The reporting projection: the fact rows each event of applications and volunteers states (funding's: funding_projection;
an enrolment edition's trainings, visits and programmes: training_projection; how they are written: projector)."""

from __future__ import annotations

from collections.abc import Iterable

from contracts.applications import (
    EditionClosed,
    EditionOpened,
    InstitutionDetailsChanged,
    InstitutionEnrolled,
    InstitutionRegistered,
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from contracts.envelope import Envelope
from contracts.volunteers import VolunteerHoursApproved, VolunteerJoined, VolunteerLeft
from services.reporting.readmodel import (
    Role,
    Stage,
    approved_hours,
    editions,
    enrolments,
    institution_changes,
    institutions,
    memberships,
    partnership_institutions,
    partnerships,
)
from services.reporting.readmodel import funding_projection as funding_projection  # its facts register on the same projector
from services.reporting.readmodel import training_projection as training_projection  # so do these
from services.reporting.readmodel.projector import FactRow, edition_named, grosze, on_roster, projector, stamp
from services.reporting.readmodel.training_projection import centihours


@projector.facts(EditionOpened)
def _edition_opened(event: Envelope) -> Iterable[FactRow]:
    e: EditionOpened = event.data
    yield editions, {
        "id": e.edition_id,
        "programme": e.programme,
        "name": e.name,
        "year": e.year,
        "round": e.round,
        "kind": e.kind,
        "mal_required": e.mal_required,
        "budget_gr": grosze(e.budget),
        "opens_on": e.opens_on,
        "closes_on": e.closes_on,
        **stamp(Stage.OPENED, event),
    }


@projector.facts(EditionClosed)
def _edition_closed(event: Envelope) -> Iterable[FactRow]:
    yield editions, {"id": event.data.edition_id, **stamp(Stage.CLOSED, event)}


@projector.facts(InstitutionRegistered)
def _institution_registered(event: Envelope) -> Iterable[FactRow]:
    e: InstitutionRegistered = event.data
    yield institutions, {
        "id": e.institution_id,
        "name": e.name,
        "kind": e.kind,
        "district": e.district,
        "is_mal": e.is_mal,
        **stamp(Stage.REGISTERED, event),
    }


@projector.facts(InstitutionDetailsChanged)
def _institution_details_changed(event: Envelope) -> Iterable[FactRow]:
    e: InstitutionDetailsChanged = event.data
    yield institution_changes, {
        "institution_id": e.institution_id,
        "name": e.name,
        "kind": e.kind,
        "district": e.district,
        "is_mal": e.is_mal,
        **stamp(Stage.CHANGED, event),
    }


@projector.facts(PartnershipProposed)
def _partnership_proposed(event: Envelope) -> Iterable[FactRow]:
    e: PartnershipProposed = event.data
    members = tuple(dict.fromkeys(e.institution_ids))
    yield edition_named(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "title": e.title,
        "lead_institution_id": e.lead_institution_id,
        "size": len(members),
        "requested_gr": grosze(e.requested_amount),
        **stamp(Stage.PROPOSED, event),
    }
    for institution_id in members:
        yield partnership_institutions, {
            "partnership_id": e.partnership_id,
            "institution_id": institution_id,
            "edition_id": e.edition_id,
            "lead": institution_id == e.lead_institution_id,
            **stamp(Stage.PROPOSED, event),
        }
        yield on_roster(e.edition_id, Role.NAMED, institution_id, event)


@projector.facts(PartnershipWithdrawn)
def _partnership_withdrawn(event: Envelope) -> Iterable[FactRow]:
    e: PartnershipWithdrawn = event.data
    yield edition_named(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "withdrawn_reason": e.reason,
        **stamp(Stage.WITHDRAWN, event),
    }


@projector.facts(MALVerified)
def _mal_verified(event: Envelope) -> Iterable[FactRow]:
    e: MALVerified = event.data
    yield edition_named(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "mal_institution_id": e.institution_id,
        **stamp(Stage.MAL_VERIFIED, event),
    }


@projector.facts(MALVerificationFailed)
def _mal_failed(event: Envelope) -> Iterable[FactRow]:
    e: MALVerificationFailed = event.data
    yield edition_named(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "mal_failed_reason": e.reason,
        **stamp(Stage.MAL_FAILED, event),
    }


@projector.facts(InstitutionEnrolled)
def _institution_enrolled(event: Envelope) -> Iterable[FactRow]:
    e: InstitutionEnrolled = event.data
    yield edition_named(e.edition_id)
    yield enrolments, {"edition_id": e.edition_id, "institution_id": e.institution_id, **stamp(Stage.ENROLLED, event)}
    yield on_roster(e.edition_id, Role.NAMED, e.institution_id, event)


@projector.facts(VolunteerJoined)
def _volunteer_joined(event: Envelope) -> Iterable[FactRow]:
    e: VolunteerJoined = event.data
    yield edition_named(e.edition_id)
    yield memberships, {
        "membership_id": e.membership_id,
        "volunteer_id": e.volunteer_id,
        "edition_id": e.edition_id,
        "institution_id": e.institution_id,
        "partnership_id": e.partnership_id,
        "joined_on": e.joined_on,
        **stamp(Stage.JOINED, event),
    }


@projector.facts(VolunteerLeft)
def _volunteer_left(event: Envelope) -> Iterable[FactRow]:
    e: VolunteerLeft = event.data
    yield edition_named(e.edition_id)
    yield memberships, {
        "membership_id": e.membership_id,
        "volunteer_id": e.volunteer_id,
        "edition_id": e.edition_id,
        "institution_id": e.institution_id,
        "left_on": e.left_on,
        **stamp(Stage.LEFT, event),
    }


@projector.facts(VolunteerHoursApproved)
def _hours_approved(event: Envelope) -> Iterable[FactRow]:
    e: VolunteerHoursApproved = event.data
    yield edition_named(e.edition_id)
    yield approved_hours, {
        "entry_id": e.entry_id,
        "volunteer_id": e.volunteer_id,
        "edition_id": e.edition_id,
        "institution_id": e.institution_id,
        "month": e.month,
        "hours_ch": centihours(e.hours),
        **stamp(Stage.APPROVED, event),
    }
