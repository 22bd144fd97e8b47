"""The volunteers service, declared once: volunteers (personal data sealed), memberships, erasure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from contracts import topics
from infra.audit.replay import Consumed
from infra.config import Settings
from infra.eventstore.records import StoredEvent
from infra.spec import ServiceSpec, Web
from services.volunteers import access, keystore, pages, readmodel, restored, story
from services.volunteers.answers import SealedAnswers
from services.volunteers.api import access as access_api
from services.volunteers.api import documents, hours, volunteers
from services.volunteers.domain.events import REGISTRY
from services.volunteers.facts import SqlFacts
from services.volunteers.handlers import HANDLERS
from services.volunteers.ledger import Ledger
from services.volunteers.projection import projector

CONSUMER = "volunteers-v2"
"""The group of the consumer of applications' events. Renamed with the participants (volunteers_0002): a new group
reads the topic from its start, so it also learns the enrolments the first group had read and dropped."""


def describe_for_audit(session: Session, record: StoredEvent, personal: bool) -> dict:
    """An event of this service for `ochotnicy audit history`: personal data masked, or opened with `personal`."""
    return story.shown(record.type, record.data, keystore.cipher(session, record.aggregate_id), personal=personal)


def disclosed(session: Session, volunteer_id: str) -> None:
    """`audit history --personal` showed the person's data: the access log says who (a shredded key showed nothing)."""
    if keystore.cipher(session, volunteer_id) is not None:
        access.record(session, [volunteer_id], access.HISTORY)


def facts_of(settings: Settings) -> Callable[[Session], SqlFacts]:
    """The handlers' facts, with the erasure ledger where the settings put it."""
    ledger = Ledger(settings.erasure_ledger)
    return lambda session: SqlFacts(session, ledger)


SPEC = ServiceSpec(
    "volunteers",
    registry=REGISTRY,
    migrations=Path(__file__).parent / "migrations" / "versions",
    tables=readmodel.metadata,  # personal data stays sealed in it
    own=projector,
    consumed=(Consumed(CONSUMER, (topics.APPLICATIONS,), projector),),
    handlers=HANDLERS,
    facts_of=facts_of,
    # A volunteer is read with several queries (the row, its key, its memberships): one snapshot, so an erasure
    # committed meanwhile shows in all of them or in none (else the key is gone while the row still holds the data).
    snapshot_reads=True,
    web=Web(
        title="Ochotnicy – wolontariusze",
        description="Wolontariusze i ich członkostwa w instytucjach. Dane osobowe są szyfrowane kluczem "
        "każdej osoby i nie opuszczają tej usługi; usunięcie danych (RODO) niszczy klucz.",
        api=[volunteers.blp, hours.blp, documents.blp, access_api.blp],
        pages=[pages.bp],
        answers=SealedAnswers(),
    ),
    describe=describe_for_audit,
    disclosed=disclosed,
    recovered=restored.erase_again,
)
