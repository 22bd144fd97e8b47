"""The funding unit tests' world: a fresh in-memory store, facts and handlers for each test."""

import pytest

from services.funding import handlers
from services.funding.domain.events import REGISTRY
from services.funding.facts import MemoryFacts
from tests.unit.funding.world import Funding


@pytest.fixture
def world() -> Funding:
    return Funding(REGISTRY, handlers.HANDLERS, MemoryFacts())
