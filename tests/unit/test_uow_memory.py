"""The in-memory unit of work passes the shared suite."""

import pytest

from contracts import PUBLIC
from infra.eventstore.memory import InMemoryEventStore
from infra.uow import InMemoryUnitOfWork, MemoryClaims
from tests.support.uow_suite import UnitOfWorkContract


class TestInMemoryUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self):
        store, claims = InMemoryEventStore(), MemoryClaims()
        return lambda: InMemoryUnitOfWork(PUBLIC, None, store=store, claims=claims)
