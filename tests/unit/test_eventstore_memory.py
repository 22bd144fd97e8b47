"""The in-memory event store passes the shared suite."""

import pytest

from infra.eventstore.memory import InMemoryEventStore
from tests.support.eventstore_suite import EventStoreContract


class TestInMemoryEventStore(EventStoreContract):
    @pytest.fixture
    def store(self):
        return InMemoryEventStore()
