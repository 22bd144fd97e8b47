"""The in-memory world every volunteers handler test runs in."""

import pytest

from services.volunteers.domain.events import REGISTRY
from services.volunteers.facts import MemoryFacts
from services.volunteers.handlers import HANDLERS
from tests.unit.volunteers.world import Volunteers


@pytest.fixture
def world() -> Volunteers:
    return Volunteers(REGISTRY, HANDLERS, MemoryFacts())
