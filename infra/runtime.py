"""What a service's spec assembles when it starts: database, unit of work, relay, consumers."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from contracts.registry import EventRegistry
from infra import db, logs, tracing
from infra.audit.replay import Consumed
from infra.config import Settings
from infra.db import migrate
from infra.health import Health
from infra.messaging.consumer import Consumer
from infra.messaging.relay import Relay
from infra.probe import Probe
from infra.projection import Projector
from infra.recovery import guard as recovery_guard
from infra.uow import SqlUnitOfWork

if TYPE_CHECKING:
    from infra.bus import CommandBus
    from infra.spec import ServiceSpec


@dataclasses.dataclass
class Runtime:
    """The live parts of one service process."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    registry: EventRegistry
    projector: Projector | None
    facts: Callable[[Session], Any] = lambda session: None

    def uow(self) -> SqlUnitOfWork[Any]:
        return SqlUnitOfWork(self.sessions, service=self.settings.service, registry=self.registry,
                             projector=self.projector, facts=self.facts)

    def relay(self) -> Relay:
        return Relay(self.settings, self.engine)

    def consumer(self, name: str, topics: Sequence[str], projector: Projector) -> Consumer:
        return Consumer(
            self.settings, self.sessions, name=name, topics=topics, projector=projector, registry=self.registry
        )

    def __post_init__(self) -> None:
        self._health = Health(self.settings, self.engine)

    def health(self) -> tuple[dict[str, Any], int]:
        """What /healthz answers: its body and HTTP status (infra.health)."""
        return self._health.check()


def start(
    settings: Settings,
    *,
    registry: EventRegistry,
    migrations: Path,
    projector: Projector | None = None,
    facts: Callable[[Session], Any] = lambda session: None,
    upgrade: bool = True,
    configure_logging: bool = True,
    guard: bool = False,
) -> Runtime:
    """Connects to the service's database (bringing its schema up to date, or checking it is) and wires the parts."""
    settings.check()
    if configure_logging:
        logs.configure(settings.service, settings.log_level)
    tracing.configure(settings)
    engine = db.make_engine(settings.database_url)
    if upgrade and settings.migrate_at_start:
        migrate.upgrade(engine, migrations)
    elif upgrade:
        migrate.require_current(engine, migrations)
    if guard:  # a web or worker process: never on a store restored behind its topic
        recovery_guard.check_at_start(settings, engine)
    return Runtime(settings, engine, db.session_factory(engine), registry, projector, facts)


@dataclasses.dataclass
class Service:
    """What a composition root hands to its web app and its worker: wired from the read model's description."""

    runtime: Runtime
    spec: ServiceSpec
    bus: CommandBus | None = None

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reads only: one snapshot if the spec asks for it, else each statement on its own (autocommit)."""
        with self.runtime.sessions() as session:
            if self.runtime.engine.dialect.name == "postgresql":
                # Under READ COMMITTED a transaction adds nothing to reads but BEGIN and ROLLBACK round trips.
                level = "REPEATABLE READ" if self.spec.snapshot_reads else "AUTOCOMMIT"
                session.connection(execution_options={"isolation_level": level})
            yield session
            # Not the ROLLBACK of close(): on a rollback psycopg forgets the statements it had prepared.
            session.commit()

    def consumer(self, name: str | None = None, consumed: Consumed | None = None) -> Consumer:
        """A member of the service's consumer group (or of `name`, e.g. a test's own group)."""
        spec = consumed or self.spec.consumed[0]
        return self.runtime.consumer(name or spec.name, spec.topics, spec.projector)

    def worker_loops(self) -> dict[str, Callable]:
        """The relay (sealing and publishing its own events, if it has any) and every consumer."""
        loops: dict[str, Callable] = {}
        if self.spec.own is not None:
            loops["relay"] = self.runtime.relay().run
        for consumed in self.spec.consumed:
            loops[f"consumer:{consumed.name}"] = self.consumer(consumed=consumed).run
        if self.runtime.settings.worker_port:
            loops["probe"] = Probe(self.runtime.settings, self.runtime.health).run
        return loops
