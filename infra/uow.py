"""The unit of work: one transaction for the events, the outbox, the read model and the request's claim.

Handlers see it through a protocol of named ports: `aggregates` (event-sourced, checked by version), `facts` (what
the service's handlers read and keep beside the events: read-model lookups, keys), `locks` and `claims`. The SQL
implementation and the in-memory one pass the same suite (tests/support/uow_suite.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from contracts.envelope import Envelope, source_of
from contracts.registry import EventRegistry
from infra import context, db, idempotency, metrics
from infra.eventstore.memory import InMemoryEventStore
from infra.eventstore.records import ConcurrencyError, EventStore, StoredEvent
from infra.eventstore.repository import Repository
from infra.eventstore.sql import SqlEventStore
from infra.projection import Projector

F = TypeVar("F")
F_co = TypeVar("F_co", covariant=True)
Hook = Callable[[list[StoredEvent]], None]


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


class Locks(Protocol):
    def hold(self, name: str) -> None:
        """Held until the transaction ends: whoever holds the same name waits."""


class Claims(Protocol):
    def write(self, claim: idempotency.Claim, aggregate_id: str | None) -> None:
        """Writes the request's claim with the events; a claim already written fails the commit."""


class UnitOfWork(Protocol[F_co]):
    """`with uow: … uow.commit()`; leaving the block without commit undoes everything."""

    @property
    def aggregates(self) -> Repository: ...
    @property
    def facts(self) -> F_co: ...
    @property
    def locks(self) -> Locks: ...
    @property
    def claims(self) -> Claims: ...
    @property
    def committed(self) -> list[StoredEvent] | None:
        """The events of the last commit (None before one)."""

    def __enter__(self) -> UnitOfWork[F_co]: ...
    def __exit__(self, *exc_info: object) -> None: ...
    def commit(self) -> list[StoredEvent]: ...
    def before_commit(self, hook: Hook) -> None:
        """Runs `hook(events)` inside every commit, after the events are appended: its writes share their fate."""


class _Hooks:
    """Before-commit hooks, kept across the handler's attempts (a retried decision commits once)."""

    def __init__(self) -> None:
        self._hooks: list[Hook] = []
        self.committed: list[StoredEvent] | None = None

    def before_commit(self, hook: Hook) -> None:
        self._hooks.append(hook)

    def _run_hooks(self, stored: list[StoredEvent]) -> None:
        for hook in self._hooks:
            hook(stored)


class SqlLocks:
    def __init__(self, session: Session) -> None:
        self._session = session

    def hold(self, name: str) -> None:
        db.advisory_lock(self._session, name)


class SqlClaims:
    def __init__(self, session: Session) -> None:
        self._session = session

    def write(self, claim: idempotency.Claim, aggregate_id: str | None) -> None:
        idempotency.write_claim(self._session, claim, aggregate_id)


class SqlUnitOfWork(_Hooks, Generic[F]):
    """A transaction of the service's database; `facts` is built on its session."""

    session: Session
    aggregates: Repository
    facts: F
    locks: SqlLocks
    claims: SqlClaims

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        service: str,
        registry: EventRegistry,
        projector: Projector | None = None,
        facts: Callable[[Session], F] = lambda session: None,  # type: ignore[assignment,return-value]
        joined: bool = False,
    ) -> None:
        super().__init__()
        self._joined = joined
        """Runs in the transaction of whoever made the session (a consumer's): flushes, never commits nor closes it."""
        self._session_factory = session_factory
        self._service = service
        self._registry = registry
        self._projector = projector
        self._facts = facts

    def __enter__(self) -> SqlUnitOfWork[F]:
        self.session = self._session_factory()
        self.store = SqlEventStore(self.session, self._service)
        self.aggregates = Repository(self.store, self._registry)
        self.facts = self._facts(self.session)
        self.locks = SqlLocks(self.session)
        self.claims = SqlClaims(self.session)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._joined:
            self.session.rollback()
            self.session.close()

    @classmethod
    def within(cls, session: Session, **options: Any) -> SqlUnitOfWork[Any]:
        """A unit of work inside `session`'s transaction: its events commit, or not, with the rest of it."""
        return cls(lambda: session, joined=True, **options)  # type: ignore[arg-type]

    def commit(self) -> list[StoredEvent]:
        collected = self.aggregates.collect(context.current())
        try:
            stored = self.store.append([record for record, _ in collected])
            self.store.keep(self.aggregates.snapshots)
            if self._projector is not None:
                for record, (_, event) in zip(stored, collected):
                    self._projector.apply(self.session, envelope_of(self._service, record, event))
            self._run_hooks(stored)
            if self._joined:
                self.session.flush()
            else:
                self.session.commit()
        except IntegrityError as exc:
            if not self._joined:
                self.session.rollback()
            raise ConcurrencyError("a concurrent change got there first") from exc
        except Exception:
            if not self._joined:
                self.session.rollback()
            raise
        for record in stored:
            metrics.EVENTS_APPENDED.labels(self._service, record.type).inc()
        self.committed = stored
        return stored


class MemoryLocks:
    def __init__(self) -> None:
        self.held: list[str] = []

    def hold(self, name: str) -> None:
        self.held.append(name)


class MemoryClaims:
    def __init__(self) -> None:
        self.written: dict[tuple[str, str], str | None] = {}
        self._pending: dict[tuple[str, str], str | None] = {}

    def write(self, claim: idempotency.Claim, aggregate_id: str | None) -> None:
        key = (claim.principal, claim.key)
        if claim.persist and (key in self.written or key in self._pending):
            raise ConcurrencyError("the request's key is claimed already")
        claim.aggregate_id = aggregate_id or claim.aggregate_id
        if claim.persist:
            self._pending[key] = claim.aggregate_id


class InMemoryUnitOfWork(_Hooks, Generic[F]):
    """The same ports over an in-memory event store and fakes, for handlers' unit tests (no I/O).

    Several units of work may share one `store`, `facts` and `claims`, as requests share a database.
    """

    def __init__(
        self,
        registry: EventRegistry,
        facts: F,
        *,
        store: InMemoryEventStore | None = None,
        claims: MemoryClaims | None = None,
    ) -> None:
        super().__init__()
        self._registry = registry
        self.store = store if store is not None else InMemoryEventStore()
        self.facts = facts
        self.locks = MemoryLocks()
        self.claims = claims if claims is not None else MemoryClaims()
        self.aggregates = Repository(self.store, registry)
        self._saved: dict[str, Any] | None = None
        self._done = False

    def __enter__(self) -> InMemoryUnitOfWork[F]:
        self.aggregates = Repository(self.store, self._registry)
        self.claims._pending = {}
        # The fakes change as the handler calls them; a transaction that does not commit takes that back.
        self._saved = copy.deepcopy(vars(self.facts)) if hasattr(self.facts, "__dict__") else None
        self._done = False
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.claims._pending = {}
        if not self._done:
            self._restore_facts()

    def _restore_facts(self) -> None:
        if self._saved is not None:
            vars(self.facts).clear()
            vars(self.facts).update(copy.deepcopy(self._saved))

    def commit(self) -> list[StoredEvent]:
        collected = self.aggregates.collect(context.current())
        events: EventStore = self.store
        stored = events.append([record for record, _ in collected]) if collected else []
        try:
            self._run_hooks(stored)
        except Exception:
            self.store.drop(stored)
            self._restore_facts()
            raise
        self.store.keep(self.aggregates.snapshots)
        self.claims.written.update(self.claims._pending)
        self.claims._pending = {}
        self.committed, self._done = stored, True
        return stored


def uow_type_check(uow: SqlUnitOfWork[Any], memory: InMemoryUnitOfWork[Any]) -> tuple[UnitOfWork[Any], UnitOfWork[Any]]:
    """Never called: mypy checks here that both implementations are units of work."""
    return uow, memory
