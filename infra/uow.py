"""The unit of work: one transaction for the events, the outbox and the read model."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from contracts.envelope import Envelope, source_of
from contracts.registry import EventRegistry
from infra import context, idempotency, metrics
from infra.eventstore.records import ConcurrencyError, StoredEvent
from infra.eventstore.sql import SqlEventStore
from infra.projection import Projector
from infra.repository import Repository


def envelope_of(service: str, record: StoredEvent, data: object) -> Envelope:
    return Envelope(
        id=record.event_id,
        type=record.type,
        source=source_of(service),
        subject=record.aggregate_id,
        sequence=record.version,
        time=record.occurred_at,
        schema_version=record.schema_version,
        data=data,
        correlation_id=record.meta.get("correlation_id"),
    )


class UnitOfWork:
    """`with uow: … uow.commit()`; leaving the block without commit rolls everything back."""

    session: Session
    aggregates: Repository

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        service: str,
        registry: EventRegistry,
        projector: Projector | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._service = service
        self._registry = registry
        self._projector = projector
        self.committed: list[StoredEvent] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.store = SqlEventStore(self.session, self._service)
        self.aggregates = Repository(self.store, self._registry)
        self.committed = []
        return self

    def __exit__(self, *exc_info) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> list[StoredEvent]:
        collected = self.aggregates.collect(context.current())
        try:
            stored = self.store.append([record for record, _ in collected])
            if self._projector is not None:
                for record, (_, event) in zip(stored, collected):
                    self._projector.apply(self.session, envelope_of(self._service, record, event))
            idempotency.write_claim(self.session, stored[0].aggregate_id if stored else None)
            self.session.commit()
        except IntegrityError as exc:
            self._rolled_back()
            raise ConcurrencyError("a concurrent change got there first") from exc
        except Exception:
            self._rolled_back()
            raise
        for record in stored:
            metrics.EVENTS_APPENDED.labels(self._service, record.type).inc()
        self.committed = stored
        return stored

    def _rolled_back(self) -> None:
        self.session.rollback()
        claim = idempotency.current()
        if claim is not None:
            claim.written = False
