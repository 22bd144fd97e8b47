"""The reporting projection: the fact rows each event states (see services.reporting.readmodel.projector for how they are written)."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from typing import Any

from contracts.applications import (
    EditionClosed,
    EditionOpened,
    InstitutionEnrolled,
    InstitutionRegistered,
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from contracts.envelope import Envelope
from contracts.funding import FundingGranted, FundingRejected
from contracts.volunteers import VolunteerJoined, VolunteerLeft
from services.reporting.readmodel import (
    Stage,
    editions,
    enrolments,
    institutions,
    memberships,
    partnership_institutions,
    partnerships,
)
from services.reporting.readmodel.projector import FactRow, ReportingProjector


def grosze(amount: decimal.Decimal | None) -> int | None:
    """PLN as an exact integer number of grosze."""
    if amount is None:
        return None
    return int((amount * 100).to_integral_value(rounding=decimal.ROUND_HALF_UP))


def _stamp(stage: Stage, event: Envelope) -> dict[str, Any]:
    return {f"{stage}_event": event.id, f"{stage}_subject": event.subject, f"{stage}_at": event.time}


projector = ReportingProjector("reporting")


def _edition(edition_id: str) -> FactRow:
    """Any event naming an edition makes it known; EditionOpened fills in what it is."""
    return editions, {"id": edition_id}


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
        **_stamp(Stage.OPENED, event),
    }


@projector.facts(EditionClosed)
def _edition_closed(event: Envelope) -> Iterable[FactRow]:
    yield editions, {"id": event.data.edition_id, **_stamp(Stage.CLOSED, event)}


@projector.facts(InstitutionRegistered)
def _institution_registered(event: Envelope) -> Iterable[FactRow]:
    e: InstitutionRegistered = event.data
    yield institutions, {
        "id": e.institution_id,
        "name": e.name,
        "kind": e.kind,
        "district": e.district,
        "is_mal": e.is_mal,
        **_stamp(Stage.REGISTERED, event),
    }


@projector.facts(PartnershipProposed)
def _partnership_proposed(event: Envelope) -> Iterable[FactRow]:
    e: PartnershipProposed = event.data
    members = tuple(dict.fromkeys(e.institution_ids))
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "title": e.title,
        "lead_institution_id": e.lead_institution_id,
        "size": len(members),
        "requested_gr": grosze(e.requested_amount),
        **_stamp(Stage.PROPOSED, event),
    }
    for institution_id in members:
        yield partnership_institutions, {
            "partnership_id": e.partnership_id,
            "institution_id": institution_id,
            "edition_id": e.edition_id,
            "lead": institution_id == e.lead_institution_id,
            **_stamp(Stage.PROPOSED, event),
        }


@projector.facts(PartnershipWithdrawn)
def _partnership_withdrawn(event: Envelope) -> Iterable[FactRow]:
    e: PartnershipWithdrawn = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "withdrawn_reason": e.reason,
        **_stamp(Stage.WITHDRAWN, event),
    }


@projector.facts(MALVerified)
def _mal_verified(event: Envelope) -> Iterable[FactRow]:
    e: MALVerified = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "mal_institution_id": e.institution_id,
        **_stamp(Stage.MAL_VERIFIED, event),
    }


@projector.facts(MALVerificationFailed)
def _mal_failed(event: Envelope) -> Iterable[FactRow]:
    e: MALVerificationFailed = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "mal_failed_reason": e.reason,
        **_stamp(Stage.MAL_FAILED, event),
    }


@projector.facts(InstitutionEnrolled)
def _institution_enrolled(event: Envelope) -> Iterable[FactRow]:
    e: InstitutionEnrolled = event.data
    yield _edition(e.edition_id)
    yield enrolments, {"edition_id": e.edition_id, "institution_id": e.institution_id, **_stamp(Stage.ENROLLED, event)}


@projector.facts(FundingGranted)
def _funding_granted(event: Envelope) -> Iterable[FactRow]:
    e: FundingGranted = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "granted_gr": grosze(e.amount),
        "cap_gr": grosze(e.cap),
        **_stamp(Stage.GRANTED, event),
    }


@projector.facts(FundingRejected)
def _funding_rejected(event: Envelope) -> Iterable[FactRow]:
    e: FundingRejected = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "rejected_reason": e.reason,
        **_stamp(Stage.REJECTED, event),
    }


@projector.facts(VolunteerJoined)
def _volunteer_joined(event: Envelope) -> Iterable[FactRow]:
    e: VolunteerJoined = event.data
    yield _edition(e.edition_id)
    yield memberships, {
        "membership_id": e.membership_id,
        "volunteer_id": e.volunteer_id,
        "edition_id": e.edition_id,
        "institution_id": e.institution_id,
        "partnership_id": e.partnership_id,
        "joined_on": e.joined_on,
        **_stamp(Stage.JOINED, event),
    }


@projector.facts(VolunteerLeft)
def _volunteer_left(event: Envelope) -> Iterable[FactRow]:
    e: VolunteerLeft = event.data
    yield _edition(e.edition_id)
    yield memberships, {
        "membership_id": e.membership_id,
        "volunteer_id": e.volunteer_id,
        "edition_id": e.edition_id,
        "institution_id": e.institution_id,
        "left_on": e.left_on,
        **_stamp(Stage.LEFT, event),
    }
