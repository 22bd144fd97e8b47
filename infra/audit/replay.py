"""Audit replay: rebuild a service's read model from the log into a scratch database and compare.

Own events come from the service's event store (the source of truth); consumed events come from
the Kafka topics (the shared log), limited to the events the live read model says it applied, so
a busy consumer's backlog is not mistaken for a difference.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kafka import TopicPartition
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from contracts import envelope
from contracts.envelope import Envelope, InvalidEvent
from contracts.registry import EventRegistry
from infra import db
from infra.audit.compare import Difference, compare
from infra.config import Settings
from infra.db import migrate
from infra.eventstore.tables import processed_events
from infra.messaging import kafka
from infra.projection import Projector

if TYPE_CHECKING:
    from infra.spec import ServiceSpec

Progress = Callable[[int], None]


@dataclasses.dataclass(frozen=True)
class Consumed:
    """A consumer of a service: its group name, its topics and the projector it feeds."""

    name: str
    topics: tuple[str, ...]
    projector: Projector


@dataclasses.dataclass
class Outcome:
    service: str
    events: int = 0
    seconds: float = 0.0
    differences: list[Difference] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    violations: list[str] = dataclasses.field(default_factory=list)
    checked: int | None = None
    """How many decisions the service's checks re-checked (None: it has none)."""

    @property
    def ok(self) -> bool:
        return not self.differences and not self.violations

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def count(spec: ServiceSpec, live: Engine) -> int:
    """How many events a replay of `spec` will apply (for a progress bar)."""
    total = 0
    with live.connect() as connection:
        if spec.own is not None:
            total += connection.exec_driver_sql("SELECT count(*) FROM events").scalar_one()
        for consumer in spec.consumed:
            total += connection.execute(
                select(func.count()).select_from(processed_events).where(processed_events.c.consumer == consumer.name)
            ).scalar_one()
    return total


def replay(spec: ServiceSpec, settings: Settings, live: Engine, scratch: Engine, progress: Progress = lambda n: None,
           *, bulk: bool = True) -> Outcome:
    """Rebuilds `spec`'s read model in `scratch` and compares it with `live`: in bulk (infra.rebuild), or `bulk=False` as
    the live consumer applies events, batch by batch with its claims."""
    if bulk:
        return _bulk(spec, settings, live, scratch, progress)
    outcome = Outcome(spec.name)
    started = time.perf_counter()
    migrate.upgrade(scratch, spec.migrations)
    sessions = db.session_factory(scratch)
    if spec.own is not None:
        applied, notes = _replay_own(spec, spec.own, live, sessions, progress)
        outcome.events += applied
        outcome.notes += notes
    for consumer in spec.consumed:
        applied, notes = _replay_consumed(spec, consumer, settings, live, sessions, progress)
        outcome.events += applied
        outcome.notes += notes
    return _compared(spec, live, scratch, outcome, started)


def _bulk(spec: ServiceSpec, settings: Settings, live: Engine, scratch: Engine, progress: Progress) -> Outcome:
    from infra.rebuild import fold, load, run  # the rebuild folds with the projectors the spec names

    outcome = Outcome(spec.name)
    started = time.perf_counter()
    wanted = {consumer.name: _applied(live, consumer.name) for consumer in spec.consumed}
    with tempfile.TemporaryDirectory(prefix=f"ochotnicy-replay-{spec.name}-") as directory:
        folded = scratch if scratch.dialect.name == "sqlite" else fold.scratch(Path(directory), spec.migrations, spec.name)
        if folded is scratch:
            migrate.upgrade(scratch, spec.migrations)
        built = run.fold_log(spec, settings, live, folded, progress, wanted)
        if folded is not scratch:
            migrate.upgrade(scratch, spec.migrations)
            with scratch.begin() as connection:
                load.copy_rows(folded, connection, list(spec.tables.sorted_tables))
            folded.dispose()
    outcome.events, outcome.notes = built.applied, list(built.notes)
    with scratch.connect() as connection:
        for consumer in spec.consumed:
            found = connection.execute(select(func.count()).select_from(processed_events)
                                       .where(processed_events.c.consumer == consumer.name)).scalar_one()
            if missing := len(wanted[consumer.name]) - found:
                outcome.notes.append(_missing(consumer, missing))
    return _compared(spec, live, scratch, outcome, started)


def _compared(spec: ServiceSpec, live: Engine, scratch: Engine, outcome: Outcome, started: float) -> Outcome:
    """The outcome with its time, the differences between the two models and the service's own re-checks."""
    outcome.seconds = time.perf_counter() - started
    outcome.differences = compare(spec.tables, live, scratch)
    if spec.checks is not None:
        with Session(live) as session:
            outcome.checked, outcome.violations = spec.checks(session)
    return outcome


def _applied(live: Engine, consumer: str) -> set[str]:
    """The event ids the live consumer `consumer` claims to have applied."""
    with live.connect() as connection:
        return set(connection.execute(
            select(processed_events.c.event_id).where(processed_events.c.consumer == consumer)).scalars())


def _missing(consumer: Consumed, missing: int) -> str:
    return (f"brak na {', '.join(consumer.topics)} zdarzeń zastosowanych przez bieżącego konsumenta {consumer.name} "
            f"(liczba: {missing}; broker po restarcie jeszcze nieuzupełniony?), więc porównanie ich nie obejmuje")


def _replay_own(spec: ServiceSpec, own: Projector, live: Engine, sessions, progress: Progress) -> tuple[int, list[str]]:
    from infra.rebuild.sources import stored

    applied, notes, session, n = 0, [], sessions(), 0
    try:
        for n, (_position, envelope, why) in enumerate(stored(spec.name, spec.registry, live, chunk=2000), 1):
            if envelope is None:
                notes.append(why)  # stored before its schema was checked at write time: reported, the audit goes on
            else:
                own.apply(session, envelope)
                applied += 1
            if n % 2000 == 0:
                session.commit()
                progress(2000)
        session.commit()
        progress(n % 2000)
    finally:
        session.close()
    return applied, notes


def _replay_consumed(spec, consumer: Consumed, settings, live: Engine, sessions, progress) -> tuple[int, list[str]]:
    wanted = _applied(live, consumer.name)
    found: dict[str, Envelope] = {}
    for event in _read_log(settings, consumer.topics, spec.registry, stop_when=lambda: len(found) >= len(wanted)):
        if event.id in wanted and event.id not in found:
            found[event.id] = event
    applied = 0
    events = list(found.values())
    for start in range(0, len(events), 1000):
        chunk = events[start : start + 1000]
        with sessions() as session:
            consumer.projector.apply_batch(session, chunk)
            session.commit()
        applied += len(chunk)
        progress(len(chunk))
    notes = []
    if missing := len(wanted) - len(found):
        notes.append(_missing(consumer, missing))
    return applied, notes


def _read_log(settings: Settings, topics: Sequence[str], registry: EventRegistry, stop_when, idle_polls: int = 3) -> Iterable[Envelope]:
    """Every readable event on `topics`, from the beginning, until the log stays quiet."""
    reader = kafka.consumer(settings, None, f"audit-{settings.service}", enable_incremental_fetch_sessions=False)
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in (reader.partitions_for_topic(t) or ())]
        reader.assign(partitions)
        reader.seek_to_beginning(*partitions)
        quiet = 0
        while quiet < idle_polls and not stop_when():
            batches = reader.poll(timeout_ms=1000, max_records=5000)
            if not batches:
                quiet += 1
                continue
            quiet = 0
            for records in batches.values():
                for message in records:
                    try:
                        yield envelope.read(message.value, registry)
                    except InvalidEvent:
                        continue  # parked on the dead-letter topic by the live consumer too
    finally:
        reader.close()
