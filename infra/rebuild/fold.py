"""Folds events into a scratch database with the live projectors' own functions: each event once, claims kept in bulk.

The scratch is a SQLite file beside the rebuild: the projectors' statements run in-process there, in large
transactions, with no claim per event taken on the target. An event id is still applied once per consumer: the
chunk's claims go in with INSERT OR IGNORE, and only the rows that went in are applied (SQLite's rowids say which).
What the scratch holds at the end is what the live read model would hold after the same log.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import queue
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from contracts.envelope import Envelope
from infra import context, db
from infra.db import migrate
from infra.projection import Projector
from infra.rebuild.load import driver
from infra.rebuild.sources import Read

if TYPE_CHECKING:
    from infra.audit.replay import Consumed

Progress = Callable[[int], None]
CHUNK = 10_000
"""Events per scratch transaction: large enough that per-batch work (a summary kept per edition) is paid rarely."""
_CLAIM = ('INSERT OR IGNORE INTO processed_events (consumer, event_id, topic, "partition", "offset", processed_at) '
          "VALUES (?, ?, ?, ?, ?, ?)")
_CLAIMED_SINCE = "SELECT event_id FROM processed_events WHERE rowid > ?"


def scratch(directory: Path, migrations: Path, name: str = "scratch") -> Engine:
    """A fresh SQLite database in `directory`, brought to the service's schema, tuned for one writer that may lose it."""
    engine = db.make_engine(f"sqlite:///{directory}/{name}.sqlite3")

    @event.listens_for(engine, "connect")
    def _fast(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")  # a crash loses a scratch nobody reads yet: the rebuild starts again
        cursor.execute("PRAGMA secure_delete=OFF")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages: memory stays bounded however long the log
        cursor.execute("PRAGMA temp_store=FILE")
        cursor.close()

    migrate.upgrade(engine, migrations)
    return engine


@dataclasses.dataclass
class Folded:
    """What a fold applied, dropped as duplicates, could not read in the store, and left parked (unreadable on a topic)."""

    applied: int = 0
    duplicates: int = 0
    unreadable: list[str] = dataclasses.field(default_factory=list)
    parked: int = 0
    """Messages the live consumer parks on its dead-letter topic too: a re-drive applies them, not a rebuild."""


class Fold:
    """Applies a service's events to `scratch` through its projectors, in chunks of `chunk` events."""

    def __init__(self, scratch: Engine, chunk: int = CHUNK) -> None:
        self._sessions = db.session_factory(scratch)
        self._chunk = chunk
        self.folded = Folded()

    def own(self, projector: Projector, items: Iterable[tuple[int, Envelope | None, str]], progress: Progress) -> int:
        """The service's own events, in store order (as the command transactions applied them); returns the last position."""
        last = 0
        for chunk in chunks(items, self._chunk):
            with self._sessions() as session:
                for position, envelope, why in chunk:
                    last = position
                    if envelope is None:
                        self.folded.unreadable.append(why)
                        continue
                    projector.apply(session, envelope)
                    self.folded.applied += 1
                session.commit()
            progress(len(chunk))
        return last

    def consumed(self, consumer: Consumed, reads: Iterable[Read], progress: Progress,
                 wanted: Collection[str] | None = None) -> None:
        """A consumer's events as the topics hold them, each applied once (`wanted`: only these ids, as an audit limits it)."""
        for chunk in read_ahead(reads, self._chunk):
            readable = []
            for read in chunk:
                if read.event is None:
                    self.folded.parked += 1
                elif wanted is None or read.event.id in wanted:
                    readable.append(read)
            with self._sessions() as session:
                fresh = _claim(session, consumer.name, readable)
                self.folded.duplicates += len(readable) - len(fresh)
                # The live consumer's handlers, under its actor: one definition of what each event means.
                with context.acting(f"consumer:{consumer.name}"):
                    consumer.projector.fold(session, fresh)
                session.commit()
            self.folded.applied += len(fresh)
            progress(len(chunk))


def finish(scratch: Engine, projectors: Iterable[Projector]) -> None:
    """Each projector's `rebuilt`, once the whole log is in the scratch."""
    with db.session_factory(scratch)() as session:
        for projector in dict.fromkeys(projectors):
            projector.rebuilt(session)
        session.commit()


def _claim(session: Session, consumer: str, reads: list[Read]) -> list[Envelope]:
    """Claims the reads' event ids for `consumer`; returns the events claimed now, in their order, each once."""
    if not reads:
        return []
    cursor = driver(session.connection()).cursor()
    before = cursor.execute("SELECT coalesce(max(rowid), 0) FROM processed_events").fetchone()[0]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    cursor.executemany(_CLAIM, [(consumer, r.event.id, r.topic, r.partition, r.offset, now) for r in reads if r.event])
    new = {row[0] for row in cursor.execute(_CLAIMED_SINCE, (before,))}
    fresh = []
    for read in reads:
        assert read.event is not None
        if read.event.id in new:
            new.discard(read.event.id)  # a second copy in the same chunk is a duplicate too
            fresh.append(read.event)
    cursor.close()
    return fresh


def chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """The cyclic garbage collector paused while a rebuild reads, what was there before set aside.

    A rebuild holds two or three chunks of events alive across many allocations, so the collector's passes walked them
    again and again: a third of a reading process's CPU. Events and fact rows hold no reference cycles; what little
    cyclic garbage a chunk's statements leave waits for the collector until the reading ends.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def read_ahead(items: Iterable, size: int, depth: int = 2) -> Iterator[list]:
    """`chunks` of `items`, the next ones read by a thread meanwhile (at most `depth` waiting): reading a topic waits on
    the broker and writing a chunk waits on the database, and neither wait need hold up the other's work."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def fill() -> None:
        try:
            for chunk in chunks(items, size):
                while not stop.is_set():
                    try:
                        ready.put(chunk, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put(None)
        except BaseException as exc:  # noqa: BLE001 - raised again in the reading thread
            ready.put(exc)

    reader = threading.Thread(target=fill, name="rebuild-read-ahead", daemon=True)
    reader.start()
    try:
        while (chunk := ready.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        stop.set()
        reader.join(5)
