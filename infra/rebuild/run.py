"""A rebuild from start to end: fold the log into a scratch, then copy it out (a fresh database) or swap it in."""

from __future__ import annotations

import dataclasses
import os
import resource
import time
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kafka import TopicPartition
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.orm import Session

from infra.config import Settings
from infra.eventstore.tables import events, processed_events
from infra.rebuild import fold, sources
from infra.rebuild import parallel as folding

if TYPE_CHECKING:
    from infra.spec import ServiceSpec

Progress = Callable[[int], None]


@dataclasses.dataclass
class Built:
    """What a fold read and applied, and where it stopped: the store's last position, each partition's end."""

    service: str
    scratch: Engine | None
    """The SQLite scratch folded into (None: built in place by infra.rebuild.facts)."""
    applied: int = 0
    read: int = 0
    duplicates: int = 0
    parked: int = 0
    seconds: float = 0.0
    position: int = 0
    ends: dict[str, dict[TopicPartition, int]] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)
    timings: dict[str, float] = dataclasses.field(default_factory=dict)
    """Seconds of each step, where the way it was built says (infra.rebuild.facts)."""

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


def readers() -> int:
    """Reading processes a rebuild starts by default: two per core, at most 8. Each waits on the broker or the database
    for about a third of its time, which another process fills (docs/performance.md, issue 31)."""
    return min(8, 2 * (os.cpu_count() or 1))


def peak_rss() -> int:
    """This process's peak resident memory so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def tables(spec: ServiceSpec) -> list[Table]:
    """The tables a rebuild writes: the read model's, and the consumers' claims where the service consumes topics."""
    return list(spec.tables.sorted_tables) + ([processed_events] if spec.consumed else [])


def size(spec: ServiceSpec, settings: Settings, live: Engine) -> int:
    """How many records a rebuild of `spec` reads (store and topics as they stand now), for its progress."""
    total = 0
    if spec.own is not None:
        with live.connect() as connection:
            total += connection.execute(select(func.count()).select_from(events)).scalar_one()
    for consumer in spec.consumed:
        with sources.TopicReader(settings, consumer.topics, spec.registry, f"rebuild-{spec.name}-size") as reader:
            total += reader.size
    return total


def fold_log(spec: ServiceSpec, settings: Settings, live: Engine, scratch: Engine, progress: Progress = lambda n: None,
             wanted: Mapping[str, Collection[str]] | None = None) -> Built:
    """Folds the store's events, then each consumer's topics up to their ends now, into `scratch` (a fold.scratch)."""
    built = Built(spec.name, scratch)
    started = time.perf_counter()
    folding = fold.Fold(scratch)

    def counted(n: int) -> None:
        built.read += n
        progress(n)

    with fold.uncollected():
        if spec.own is not None:
            built.position = folding.own(spec.own, sources.stored(spec.name, spec.registry, live), counted)
        for consumer in spec.consumed:
            with sources.TopicReader(settings, consumer.topics, spec.registry, f"rebuild-{spec.name}") as reader:
                folding.consumed(consumer, reader, counted, None if wanted is None else wanted.get(consumer.name, ()))
                built.ends[consumer.name] = dict(reader.ends)
    fold.finish(scratch, _projectors(spec))
    built.seconds = time.perf_counter() - started
    built.applied, built.duplicates, built.parked = folding.folded.applied, folding.folded.duplicates, folding.folded.parked
    built.notes = list(folding.folded.unreadable)
    return built


def _projectors(spec: ServiceSpec) -> list:
    return ([spec.own] if spec.own is not None else []) + [consumer.projector for consumer in spec.consumed]


def parallel(spec: ServiceSpec) -> bool:
    """Whether a rebuild of `spec` may fold in several processes: one consumer of merging facts, no store of its own."""
    return spec.own is None and len(spec.consumed) == 1 and spec.consumed[0].projector.merges


def fold_into_scratch(spec: ServiceSpec, settings: Settings, live: Engine, directory: Path, progress: Progress = lambda n: None,
                      wanted: Mapping[str, Collection[str]] | None = None, workers: int = 1) -> Built:
    """`fold_log` into a fresh scratch database in `directory`; in `workers` processes where `parallel(spec)`."""
    if workers <= 1 or not parallel(spec):
        return fold_log(spec, settings, live, fold.scratch(directory, spec.migrations, spec.name), progress, wanted)
    consumer = spec.consumed[0]
    started = time.perf_counter()
    scratch, ends, (applied, duplicates, parked) = folding.fold_consumer(
        spec, consumer, settings, directory, workers, progress, None if wanted is None else wanted.get(consumer.name, ()))
    fold.finish(scratch, _projectors(spec))
    built = Built(spec.name, scratch, applied=applied, duplicates=duplicates, parked=parked, ends={consumer.name: ends})
    built.read = applied + duplicates + parked
    built.seconds = time.perf_counter() - started
    return built


def catch_up(spec: ServiceSpec, session: Session, after: int) -> int:
    """Applies the service's own events stored after `after` (appended while the rebuild ran); returns how many."""
    if spec.own is None:
        return 0
    applied = 0
    for _position, envelope, _why in sources.stored(spec.name, spec.registry, session.connection(), after):
        if envelope is not None:
            spec.own.apply(session, envelope)
            applied += 1
    return applied
