"""The composition root of the funding service: the only place that wires its parts."""

from __future__ import annotations

from pathlib import Path

from contracts import topics
from infra import config
from infra.replay import Consumed, ReadModel
from infra.runtime import CommandBus, Service, start
from services.funding import audit, commands, handlers, readmodel
from services.funding.domain.events import REGISTRY
from services.funding.projection import projector

SERVICE = "funding"
CONSUMER = "funding"
MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

HANDLERS = {
    commands.GrantFunding: handlers.grant_funding,
    commands.RejectFunding: handlers.reject_funding,
}

READ_MODEL = ReadModel(
    SERVICE,
    readmodel.metadata,
    REGISTRY,
    MIGRATIONS,
    own=projector,
    consumed=(Consumed(CONSUMER, (topics.APPLICATIONS,), projector),),
    checks=audit.recheck_grants,
)
"""The case read model: decisions (own events) and the applications service's facts; every grant re-checkable."""


def bootstrap(settings: config.Settings | None = None, **options) -> Service:
    runtime = start(settings or config.load(SERVICE), registry=REGISTRY, migrations=MIGRATIONS, projector=projector, **options)
    # A case is read with several queries (cases, editions, the budget granted, deciders): one snapshot, so a grant
    # committed meanwhile shows in all of them or in none.
    return Service(runtime, READ_MODEL, CommandBus(HANDLERS, runtime.uow), snapshot_reads=True)
