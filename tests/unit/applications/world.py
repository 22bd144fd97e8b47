"""The applications handlers over the in-memory unit of work, the register fake following each commit."""

from __future__ import annotations

from contracts import PUBLIC
from infra.uow import InMemoryUnitOfWork
from services.applications import commands
from services.applications.facts import MemoryFacts
from services.applications.handlers import HANDLERS
from tests.support.memory import Memory
from tests.unit.applications.domain import opened


class Applications(Memory):
    facts: MemoryFacts

    def uow(self) -> InMemoryUnitOfWork:
        uow = super().uow()
        uow.before_commit(self.facts.follow)  # in the commit, as the projection keeps the read model
        return uow


def applications() -> Applications:
    return Applications(PUBLIC, HANDLERS, MemoryFacts())


def open_edition(world: Memory, **overrides) -> str:
    """Opens an edition like `opened`'s, with `overrides`; its id."""
    return world.run(commands.OpenEdition(**vars(opened(**overrides))))
