"""The volunteers service, declared once: volunteers (personal data sealed), memberships, erasure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from contracts import topics
from infra.audit.replay import Consumed
from infra.eventstore.records import StoredEvent
from infra.spec import ServiceSpec, Web
from services.volunteers import keystore, pages, readmodel
from services.volunteers.api import access, hours, volunteers
from services.volunteers.domain import personal
from services.volunteers.domain.events import REGISTRY
from services.volunteers.facts import SqlFacts
from services.volunteers.handlers import HANDLERS
from services.volunteers.projection import projector

CONSUMER = "volunteers-v2"
"""The group of the consumer of applications' events. Renamed with the participants (volunteers_0002): a new group
reads the topic from its start, so it also learns the enrolments the first group had read and dropped."""


def describe_for_audit(session: Session, record: StoredEvent) -> dict:
    """An event of this service for `ochotnicy audit history`: personal data opened where not erased."""
    if record.type not in ("VolunteerRegistered", "VolunteerRectified"):
        return record.data
    shown = {k: v for k, v in record.data.items() if k not in personal.FIELDS}
    fields: dict[str, Any] = {k: record.data.get(k) for k in personal.FIELDS}  # the event's data, as JSON gave it
    sealed = personal.Sealed(**fields)
    try:
        person = personal.unseal(sealed, keystore.cipher(session, record.aggregate_id))
    except personal.Unreadable:
        return shown | {field: "[usunięte]" for field in personal.FIELDS if record.data.get(field) is not None}
    return shown | {field: getattr(person, field) for field in personal.FIELDS if getattr(person, field) is not None}


SPEC = ServiceSpec(
    "volunteers",
    registry=REGISTRY,
    migrations=Path(__file__).parent / "migrations" / "versions",
    tables=readmodel.metadata,  # personal data stays sealed in it
    own=projector,
    consumed=(Consumed(CONSUMER, (topics.APPLICATIONS,), projector),),
    handlers=HANDLERS,
    facts=SqlFacts,
    # A volunteer is read with several queries (the row, its key, its memberships): one snapshot, so an erasure
    # committed meanwhile shows in all of them or in none (else the key is gone while the row still holds the data).
    snapshot_reads=True,
    web=Web(
        title="Ochotnicy – wolontariusze",
        description="Wolontariusze i ich członkostwa w instytucjach. Dane osobowe są szyfrowane kluczem "
        "każdej osoby i nie opuszczają tej usługi; usunięcie danych (RODO) niszczy klucz.",
        api=[volunteers.blp, hours.blp, access.blp],
        pages=[pages.bp],
    ),
    describe=describe_for_audit,
)
