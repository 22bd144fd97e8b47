"""A service's handlers over the in-memory unit of work, for handlers' unit tests (no I/O).

Every command runs in a fresh unit of work over one shared store, facts and claims, as requests share a database.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import pytest

from contracts.registry import EventRegistry
from infra.bus import CommandBus, Handlers
from infra.errors import DomainError
from infra.eventstore.aggregate import Aggregate
from infra.eventstore.memory import InMemoryEventStore
from infra.uow import InMemoryUnitOfWork, MemoryClaims

A = TypeVar("A", bound=Aggregate)
E = TypeVar("E", bound=Exception)


@dataclasses.dataclass
class Memory:
    registry: EventRegistry
    handlers: Handlers
    facts: Any
    store: InMemoryEventStore = dataclasses.field(default_factory=InMemoryEventStore)
    claims: MemoryClaims = dataclasses.field(default_factory=MemoryClaims)

    def uow(self) -> InMemoryUnitOfWork[Any]:
        return InMemoryUnitOfWork(self.registry, self.facts, store=self.store, claims=self.claims)

    def bus(self) -> CommandBus:
        return CommandBus(self.handlers, self.uow)

    def run(self, command: object, uow: InMemoryUnitOfWork[Any] | None = None) -> Any:
        """What the command's handler returns, run in `uow` (a fresh one by default)."""
        return self.handlers.of(command)(command, uow if uow is not None else self.uow())

    def refused(self, command: object, error: type[E] = DomainError) -> E:  # type: ignore[assignment]
        """The error a refused command raises; the refusal must store nothing."""
        before = self.store.read_all()
        with pytest.raises(error) as raised:
            self.run(command)
        assert self.store.read_all() == before, "a refused command stored events"
        return raised.value

    def history(self, aggregate_id: str) -> list[tuple[str, int]]:
        """The aggregate's stored events as (type, version)."""
        return [(e.type, e.version) for e in self.store.load(aggregate_id)]

    def get(self, cls: type[A], aggregate_id: str) -> A | None:
        """The aggregate as the next request would load it."""
        with self.uow() as uow:
            return uow.aggregates.get(cls, aggregate_id)


def rule_and_field(error: DomainError) -> tuple[str | None, str | None]:
    return error.rule, error.field
