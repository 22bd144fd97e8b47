"""The composition root of the volunteers service: the only place that wires its parts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from contracts import topics
from infra import config
from infra.replay import Consumed, ReadModel
from infra.runtime import CommandBus, Service, start
from services.volunteers import commands, handlers, keystore, readmodel
from services.volunteers.domain import personal
from services.volunteers.domain.events import REGISTRY
from services.volunteers.projection import projector

SERVICE = "volunteers"
CONSUMER = "volunteers-v2"
"""The group of the consumer of applications' events. Renamed with the participants (volunteers_0002): a new group
reads the topic from its start, so it also learns the enrolments the first group had read and dropped."""
MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

HANDLERS = {
    commands.RegisterVolunteer: handlers.register_volunteer,
    commands.JoinInstitution: handlers.join_institution,
    commands.LeaveInstitution: handlers.leave_institution,
    commands.EraseVolunteer: handlers.erase_volunteer,
}

READ_MODEL = ReadModel(
    SERVICE,
    readmodel.metadata,
    REGISTRY,
    MIGRATIONS,
    own=projector,
    consumed=(Consumed(CONSUMER, (topics.APPLICATIONS,), projector),),
)
"""How an auditor rebuilds this service's read model (personal data stays sealed in it)."""


def bootstrap(settings: config.Settings | None = None, **options) -> Service:
    runtime = start(settings or config.load(SERVICE), registry=REGISTRY, migrations=MIGRATIONS, projector=projector, **options)
    # A volunteer is read with several queries (the row, its key, its memberships): one snapshot, so an erasure
    # committed meanwhile shows in all of them or in none (else the key is gone while the row still holds the data).
    return Service(runtime, READ_MODEL, CommandBus(HANDLERS, runtime.uow), snapshot_reads=True)


def describe_for_audit(session: Session, record) -> dict:
    """An event of this service for `ochotnicy audit history`: personal data opened where not erased."""
    if record.type != "VolunteerRegistered":
        return record.data
    shown = {k: v for k, v in record.data.items() if k not in personal.FIELDS}
    sealed = personal.Sealed(**{k: record.data.get(k) for k in personal.FIELDS})
    try:
        person = personal.unseal(sealed, keystore.cipher(session, record.aggregate_id))
    except personal.Unreadable:
        return shown | {field: "[usunięte]" for field in personal.FIELDS if record.data.get(field) is not None}
    return shown | {field: getattr(person, field) for field in personal.FIELDS if getattr(person, field) is not None}
