"""Which institutions take part in which editions: a projection of applications' events of its own.

Its consumer group reads applications' topic from the start, so it also learns the enrolments and proposals
published before it existed. Every handler inserts what is missing, so any order and any repetition agree.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from contracts.applications import InstitutionEnrolled, PartnershipProposed
from contracts.envelope import Envelope
from infra.projection import Projector
from infra.sql import insert_ignore
from services.volunteers.readmodel import ENROLMENT, known_participants

CONSUMER = "volunteers-participation"
KEYS = ("edition_id", "institution_id", "via")

projector = Projector("volunteers-participation")


@projector.on(InstitutionEnrolled)
def _enrolled(session: Session, event: Envelope) -> None:
    e: InstitutionEnrolled = event.data
    insert_ignore(session, known_participants, [{"edition_id": e.edition_id, "institution_id": e.institution_id,
                                                 "via": ENROLMENT}], KEYS)


@projector.on(PartnershipProposed)
def _proposed(session: Session, event: Envelope) -> None:
    e: PartnershipProposed = event.data
    rows = [{"edition_id": e.edition_id, "institution_id": i, "via": e.partnership_id} for i in dict.fromkeys(e.institution_ids)]
    insert_ignore(session, known_participants, rows, KEYS)
