"""A service declared once: its events, tables, projectors, handlers, web and audit hooks.

`start()`, the web app, the worker and `ochotnicy audit` all read a service's one `SPEC`.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData
from sqlalchemy.orm import Session

from contracts.registry import EventRegistry
from infra import config, idempotency
from infra.audit.replay import Consumed
from infra.bus import CommandBus, Handlers
from infra.eventstore.records import StoredEvent
from infra.projection import Projector
from infra.runtime import Service, start

if TYPE_CHECKING:
    from flask import Blueprint as FlaskBlueprint
    from flask import Flask


@dataclasses.dataclass(frozen=True)
class Web:
    """The service's web app: its API blueprints and, where it has them, its pages."""

    title: str
    description: str
    api: Sequence[FlaskBlueprint]
    pages: Sequence[FlaskBlueprint] = ()
    open_endpoints: Iterable[str] = ()
    """Endpoints served without a token (pages that ask for one themselves)."""
    setup: Callable[[Flask, Service], None] | None = None
    answers: idempotency.Sealer | None = None
    """Seals the answers kept for Idempotency-Keys with their subject's key (a service whose answers hold personal data)."""


@dataclasses.dataclass(frozen=True)
class ServiceSpec:
    """Everything a service is made of (an auditor rebuilds its read model from it); nothing connects until `bootstrap()`."""

    name: str
    registry: EventRegistry
    migrations: Path
    tables: MetaData
    own: Projector | None = None
    """Applies the service's own events to its read model, in the command's transaction."""
    consumed: tuple[Consumed, ...] = ()
    handlers: Handlers = dataclasses.field(default_factory=Handlers)
    facts: Callable[[Session], Any] = lambda session: None
    """The handlers' `uow.facts` on a session: the read-model lookups and side tables they use."""
    facts_of: Callable[[config.Settings], Callable[[Session], Any]] | None = None
    """Instead of `facts`, for handlers that also need a setting (where a file lies): the settings → `facts`."""
    snapshot_reads: bool = False
    """Reads see one snapshot (PostgreSQL REPEATABLE READ), for views made of several queries."""
    web: Web | None = None
    checks: Callable[[Session], tuple[int, list[str]]] | None = None
    """Audit: re-checks the service's decisions against the rules they recorded (decisions checked, problems)."""
    recovered: Callable[[Session, config.Settings], list[str]] | None = None
    """Restore: runs in `ochotnicy recover`'s transaction, after the topic's events are written back, to mend what no
    topic carries (an erasure ledger kept outside the database, private events derived from public ones); returns
    what it did, in lines for the operator."""
    describe: Callable[[Session, StoredEvent, bool], dict] | None = None
    """Audit: an event as `ochotnicy audit history` shows it: personal data opened only when the flag says so
    (`--personal`), else masked."""
    disclosed: Callable[[Session, str], None] | None = None
    """Audit: records, in the session's transaction, that `audit history --personal` showed the aggregate's personal data."""

    def bootstrap(self, settings: config.Settings | None = None, **options: Any) -> Service:
        """Connects (bringing the schema up to date) and wires the service: the composition root."""
        settings = settings or config.load(self.name)
        runtime = start(settings, registry=self.registry, migrations=self.migrations, projector=self.own,
                        facts=self.facts_of(settings) if self.facts_of is not None else self.facts, **options)
        bus = CommandBus(self.handlers, runtime.uow) if any(True for _ in self.handlers) else None
        return Service(runtime, self, bus)


def load(service: str) -> ServiceSpec:
    """The installed service's SPEC, by name (ImportError when its code is not installed)."""
    spec: ServiceSpec = importlib.import_module(f"services.{service}.spec").SPEC
    return spec
