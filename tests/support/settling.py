"""What the fault scenarios wait and read with: the stack's databases, its quiet period, and its topics."""

from __future__ import annotations

import collections
import importlib
import time
from collections.abc import Iterable, Sequence

import orjson
from sqlalchemy import Engine, create_engine, func, select

from contracts import topics as topic_names
from infra.eventstore.tables import events, outbox, processed_events
from tests.support.topics import reader_from_start


class Databases:
    """Engines on the stack's service databases (NullPool: the scenarios cut connections)."""

    def __init__(self, urls: dict[str, str]) -> None:
        from sqlalchemy.pool import NullPool

        self.engines: dict[str, Engine] = {s: create_engine(u, poolclass=NullPool) for s, u in urls.items()}

    def scalar(self, service: str, statement):
        return _retrying(lambda: self._scalar(service, statement))

    def _scalar(self, service, statement):
        with self.engines[service].connect() as connection:
            return connection.execute(statement).scalar()

    def rows(self, service: str, statement) -> list:
        def run():
            with self.engines[service].connect() as connection:
                return connection.execute(statement).all()

        return _retrying(run)

    def dispose(self) -> None:
        for engine in self.engines.values():
            engine.dispose()


def _retrying(run, attempts: int = 20):
    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            return run()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def consumers(services: Iterable[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(service, consumer name, topics) of every consumer in `services`, from their specs."""
    found = []
    for service in services:
        spec = importlib.import_module(f"services.{service}.spec").SPEC
        found += [(service, c.name, tuple(c.topics)) for c in spec.consumed]
    return found


def owners(services: Iterable[str]) -> dict[str, str]:
    """topic → the service that publishes it, for the services of the stack."""
    return {topic_names.BY_SERVICE[s]: s for s in services if s in topic_names.BY_SERVICE}


def backlog(dbs: Databases, services: Sequence[str]) -> dict[str, int]:
    """What is still on its way: unpublished outbox rows, unsealed events, events a consumer has not applied."""
    waiting: dict[str, int] = {}
    published: dict[str, set[str]] = {}
    for topic, service in owners(services).items():
        waiting[f"{service} outbox"] = dbs.scalar(
            service, select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))
        waiting[f"{service} unsealed"] = dbs.scalar(
            service, select(func.count()).select_from(events).where(events.c.chain_seq.is_(None)))
        published[topic] = {r.event_id for r in dbs.rows(service, select(outbox.c.event_id))}
    for service, name, topics in consumers(services):
        applied = {r.event_id for r in dbs.rows(service, select(processed_events.c.event_id).where(
            processed_events.c.consumer == name))}
        waiting[f"{name} consumer"] = sum(len(published.get(t, set()) - applied) for t in topics)
    return waiting


def settle(dbs: Databases, services: Sequence[str], timeout: float = 240.0) -> float:
    """The quiet period: polls until every outbox is published and every consumer has caught up."""
    started = time.monotonic()
    last = None
    while time.monotonic() - started < timeout:
        last = backlog(dbs, services)
        if not any(last.values()):
            return time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"the stack did not settle in {timeout} s; still on its way: {last}")


def read_topics(bootstrap: str, expected: dict[str, set[str]], timeout: float = 90.0) -> dict[str, collections.Counter]:
    """How many times each event id is on each topic, reading until every expected id has been seen.

    (Tansu's end offsets are unreliable, so "all read" means "all we expect seen", or quiet after the timeout.)
    """
    seen = {topic: collections.Counter() for topic in expected}
    reader = reader_from_start(bootstrap, expected)
    try:
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            missing = any(expected[t] - seen[t].keys() for t in expected)
            if not missing and quiet >= 2:
                break
            batches = reader.poll(timeout_ms=500, max_records=5000)
            if not batches:
                quiet += 1
                continue
            quiet = 0
            for tp, records in batches.items():
                for record in records:
                    try:
                        event_id = orjson.loads(record.value).get("id")
                    except (orjson.JSONDecodeError, AttributeError, TypeError):
                        continue  # garbage a fault scenario wrote on purpose
                    if isinstance(event_id, str):
                        seen[tp.topic][event_id] += 1
    finally:
        reader.close()
    return seen


def stored_events(dbs: Databases, service: str) -> list:
    return dbs.rows(service, select(events.c.event_id, events.c.aggregate_id, events.c.version, events.c.type,
                                    events.c.topic, events.c.meta))
