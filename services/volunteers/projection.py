"""Folds events into the read model: the service's own (in the command's transaction) and the
applications service's (by the consumer), each handler a deterministic function of its event.

Applications' events arrive in any order and possibly twice: every handler here is an upsert that
touches only the columns its event knows, so any order and any repetition end in the same rows.
"""

from __future__ import annotations

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from contracts.applications import (
    EditionClosed,
    EditionOpened,
    EnrolmentWithdrawn,
    InstitutionDetailsChanged,
    InstitutionEnrolled,
    InstitutionRegistered,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from contracts.envelope import Envelope
from contracts.volunteers import VolunteerHoursApproved, VolunteerJoined, VolunteerLeft
from infra.db.statements import insert_ignore, upsert
from infra.projection import Projector
from services.volunteers.domain import hours, paperwork
from services.volunteers.domain.events import (
    HoursDeclined,
    HoursSubmitted,
    MembershipPaperworkRecorded,
    VolunteerErased,
    VolunteerRectified,
    VolunteerRegistered,
)
from services.volunteers.readmodel import (
    ENROLMENT,
    hours_entries,
    known_editions,
    known_institutions,
    known_participants,
    known_partnerships,
    memberships,
    volunteers,
)

projector = Projector("volunteers")


# -- the service's own events ----------------------------------------------
@projector.on(VolunteerRegistered)
def _registered(session: Session, event: Envelope) -> None:
    e: VolunteerRegistered = event.data
    session.execute(
        insert(volunteers),
        dict(
            id=e.volunteer_id,
            first_name=e.first_name,  # ciphertext, as in the event
            last_name=e.last_name,
            email=e.email,
            phone=e.phone,
            birth_date=e.birth_date,
            erased=False,
            version=event.sequence,
            registered_at=event.time,
        )
    )


@projector.on(VolunteerErased)
def _erased(session: Session, event: Envelope) -> None:
    session.execute(
        update(volunteers)
        .where(volunteers.c.id == event.data.volunteer_id)
        .values(first_name=None, last_name=None, email=None, phone=None, birth_date=None, erased=True,
                erased_at=event.time, version=event.sequence)
    )


@projector.on(VolunteerRectified)
def _rectified(session: Session, event: Envelope) -> None:
    e: VolunteerRectified = event.data
    session.execute(
        update(volunteers).where(volunteers.c.id == e.volunteer_id)
        .values(first_name=e.first_name, last_name=e.last_name, email=e.email, phone=e.phone, birth_date=e.birth_date,
                version=event.sequence)  # ciphertext, as in the event
    )


def _touch(session: Session, event: Envelope) -> None:
    session.execute(update(volunteers).where(volunteers.c.id == event.subject).values(version=event.sequence))


@projector.on(VolunteerJoined)
def _joined(session: Session, event: Envelope) -> None:
    e: VolunteerJoined = event.data
    session.execute(
        insert(memberships),
        dict(
            id=e.membership_id,
            volunteer_id=e.volunteer_id,
            institution_id=e.institution_id,
            edition_id=e.edition_id,
            partnership_id=e.partnership_id,
            joined_on=e.joined_on,
            joined_at=event.time,
            accident_insurance=False,
            guardian_consent=False,
            minor=False,
            long_from=paperwork.long_from(e.joined_on),
        )
    )
    _touch(session, event)


@projector.on(VolunteerLeft)
def _left(session: Session, event: Envelope) -> None:
    e: VolunteerLeft = event.data
    session.execute(
        update(memberships).where(memberships.c.id == e.membership_id).values(left_on=e.left_on, left_at=event.time)
    )
    _touch(session, event)


@projector.on(MembershipPaperworkRecorded)
def _paperwork(session: Session, event: Envelope) -> None:
    e: MembershipPaperworkRecorded = event.data
    session.execute(
        update(memberships).where(memberships.c.id == e.membership_id)
        .values(agreement_signed_on=e.agreement_signed_on, accident_insurance=e.accident_insurance,
                guardian_consent=e.guardian_consent, minor=e.minor)
    )
    _touch(session, event)


@projector.on(HoursSubmitted)
def _hours_submitted(session: Session, event: Envelope) -> None:
    e: HoursSubmitted = event.data
    membership = session.execute(
        select(memberships.c.institution_id, memberships.c.edition_id).where(memberships.c.id == e.membership_id)
    ).one()  # the membership's own stream recorded it first
    session.execute(
        insert(hours_entries),
        dict(id=e.entry_id, volunteer_id=e.volunteer_id, membership_id=e.membership_id,
             institution_id=membership.institution_id, edition_id=membership.edition_id, month=e.month, hours=e.hours,
             activity=e.activity, status=hours.SUBMITTED, submitted_at=event.time),
    )
    _touch(session, event)


@projector.on(VolunteerHoursApproved)
def _hours_approved(session: Session, event: Envelope) -> None:
    session.execute(update(hours_entries).where(hours_entries.c.id == event.data.entry_id)
                    .values(status=hours.APPROVED, decided_at=event.time))
    _touch(session, event)


@projector.on(HoursDeclined)
def _hours_declined(session: Session, event: Envelope) -> None:
    e: HoursDeclined = event.data
    session.execute(update(hours_entries).where(hours_entries.c.id == e.entry_id)
                    .values(status=hours.DECLINED, reason=e.reason, decided_at=event.time))
    _touch(session, event)


# -- what the applications service tells us ---------------------------------
@projector.on(InstitutionRegistered, InstitutionDetailsChanged)
def _institution(session: Session, event: Envelope) -> None:
    e: InstitutionRegistered | InstitutionDetailsChanged = event.data
    # Both carry the whole institution; a registration arriving after a correction must not undo it.
    upsert(session, known_institutions,
           {"id": e.institution_id, "name": e.name, "kind": e.kind, "district": e.district, "version": event.sequence},
           ["id"], if_newer="version")


@projector.on(EditionOpened)
def _edition_opened(session: Session, event: Envelope) -> None:
    e: EditionOpened = event.data
    upsert(
        session,
        known_editions,
        {"id": e.edition_id, "name": e.name, "programme": e.programme, "year": e.year, "opened": True, "closed": False},
        ["id"],
        update=["name", "programme", "year", "opened"],
    )


@projector.on(EditionClosed)
def _edition_closed(session: Session, event: Envelope) -> None:
    upsert(session, known_editions, {"id": event.data.edition_id, "opened": False, "closed": True}, ["id"],
           update=["closed"])


@projector.on(PartnershipProposed)
def _partnership_proposed(session: Session, event: Envelope) -> None:
    e: PartnershipProposed = event.data
    upsert(
        session,
        known_partnerships,
        {
            "id": e.partnership_id,
            "edition_id": e.edition_id,
            "institution_ids": orjson.dumps(list(e.institution_ids)).decode(),
            "proposed": True,
            "withdrawn": False,
        },
        ["id"],
        update=["edition_id", "institution_ids", "proposed"],
    )
    _participants(session, e.edition_id, e.institution_ids, via=e.partnership_id)


@projector.on(InstitutionEnrolled)
def _enrolled(session: Session, event: Envelope) -> None:
    e: InstitutionEnrolled = event.data
    _participants(session, e.edition_id, [e.institution_id], via=ENROLMENT)


@projector.on(EnrolmentWithdrawn)
def _enrolment_withdrawn(session: Session, event: Envelope) -> None:
    """A withdrawn institution takes no new volunteers through its enrolment; memberships made before stay."""
    e: EnrolmentWithdrawn = event.data
    # The one exception to "any order": an enrolment's events share its key (the enrolment's id), so they reach
    # this consumer on one partition, in order, and a replay reads them in order too: it was enrolled before it left.
    session.execute(delete(known_participants).where(
        known_participants.c.edition_id == e.edition_id, known_participants.c.institution_id == e.institution_id,
        known_participants.c.via == ENROLMENT))


def _participants(session: Session, edition_id: str, institution_ids, *, via: str) -> None:
    """The institutions take part in the edition (enrolled, or as partners of proposal `via`)."""
    rows = [{"edition_id": edition_id, "institution_id": i, "via": via} for i in dict.fromkeys(institution_ids)]
    insert_ignore(session, known_participants, rows, ["edition_id", "institution_id", "via"])


@projector.on(PartnershipWithdrawn)
def _partnership_withdrawn(session: Session, event: Envelope) -> None:
    e: PartnershipWithdrawn = event.data
    upsert(
        session,
        known_partnerships,
        {"id": e.partnership_id, "edition_id": e.edition_id, "proposed": False, "withdrawn": True},
        ["id"],
        update=["withdrawn"],
    )
