"""The one checker every fault scenario ends with: after a quiet period, prove that nothing was lost.

* every command that got a 2xx has exactly one event in its service's store (matched by the command's
  correlation id, of the expected type, on the expected aggregate);
* every command that got a 4xx left no event;
* every stored public event is on its topic at least once, and every consumer has applied it;
* every read model equals a fresh replay of the log (the auditors' replay, `ochotnicy audit replay`);
* re-sending a sample of 2xx commands with their Idempotency-Key returns the first answer and adds nothing;
* every aggregate's versions run 1, 2, 3… without gaps, and every service's hash chain holds.

`check()` returns the figures of the run (and records them for the end-of-run summary); it raises
`AssertionError` naming every problem when anything is off.
"""

from __future__ import annotations

import collections
import dataclasses
import importlib
import io
import random
import time
from collections.abc import Iterable, Sequence

import orjson
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import Engine, create_engine, func, select

from contracts import topics as topic_names
from infra.eventstore.tables import events, outbox, processed_events
from ochotnicy import audit
from tests.support.recording import Command, session_for

REPORTS: list[Figures] = []
"""Figures of every check in this run, printed by the faults conftest at the end."""


@dataclasses.dataclass
class Figures:
    scenario: str
    commands: int = 0
    ok: int = 0
    refused: int = 0
    retries: int = 0
    faults: int = 0
    events_checked: int = 0
    on_topics: int = 0
    replayed: int = 0
    resent: int = 0
    lost: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = dataclasses.field(default_factory=dict)

    def line(self) -> str:
        return (f"{self.scenario}: commands {self.commands} (2xx {self.ok}, 4xx {self.refused}, retries {self.retries}), "
                f"faults injected {self.faults}, events checked {self.events_checked} (on topics {self.on_topics}, "
                f"replayed {self.replayed}), re-sent {self.resent}, lost {self.lost}, problems {len(self.problems)}"
                + (f"; checked in {self.seconds:.0f} s (" + ", ".join(f"{k} {v:.1f}" for k, v in self.timings.items()) + ")"
                   if self.timings else ""))


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
    """(service, consumer name, topics) of every consumer in `services`, from their READ_MODEL."""
    found = []
    for service in services:
        spec = importlib.import_module(f"services.{service}.bootstrap").READ_MODEL
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
    reader = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                           auto_offset_reset="earliest", max_partition_fetch_bytes=4 * 1024 * 1024)
    try:
        partitions = [TopicPartition(t, p) for t in expected for p in (reader.partitions_for_topic(t) or ())]
        reader.assign(partitions)
        reader.seek_to_beginning(*partitions)
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


def check(
    stack,
    commands: Sequence[Command],
    *,
    scenario: str,
    faults: int = 0,
    resend: int = 25,
    settle_timeout: float = 240.0,
    replay: bool = True,
) -> Figures:
    """Waits for the quiet period, then checks everything; returns the figures, raises if anything was lost."""
    started = time.monotonic()
    services = list(stack.services)
    figures = Figures(scenario, faults=faults)
    problems = figures.problems
    dbs = Databases(stack.database_urls)
    try:
        figures.commands = len(commands)
        figures.ok = sum(c.ok for c in commands)
        figures.refused = sum(c.refused for c in commands)
        figures.retries = sum(c.retries for c in commands)
        for command in commands:
            if command.status is None or command.error:
                problems.append(f"no final answer: {command.describe()}")
            elif command.status >= 500:
                problems.append(f"server error: {command.describe()}")
            elif command.deliberate and not command.refused:
                problems.append(f"a bad request was accepted: {command.describe()}")

        mark = time.monotonic()

        def lap(name: str) -> None:
            nonlocal mark
            figures.timings[name] = time.monotonic() - mark
            mark = time.monotonic()

        settle(dbs, services, settle_timeout)
        lap("settle")

        # (a), (d): one event per 2xx command, none for a 4xx.
        by_correlation: dict[str, dict[str, list]] = {}
        stored: dict[str, list] = {}
        for service in services:
            if service not in topic_names.BY_SERVICE:
                continue
            stored[service] = stored_events(dbs, service)
            index: dict[str, list] = collections.defaultdict(list)
            for row in stored[service]:
                correlation = orjson.loads(row.meta).get("correlation_id")
                if correlation:
                    index[correlation].append(row)
            by_correlation[service] = index
        lost = 0
        for command in commands:
            if command.status is None or command.service not in by_correlation:
                continue
            found = by_correlation[command.service].get(command.correlation_id, [])
            if command.ok:
                figures.events_checked += len(found)
                main = [r for r in found if not command.event_types or r.type in command.event_types]
                others = [r for r in found if r not in main]
                if not main:
                    lost += 1
                    problems.append(f"LOST: a 2xx command has no event: {command.describe()} "
                                    f"(other events: {[(r.type, r.aggregate_id) for r in others]})")
                elif len(main) > 1 or any(r.type not in command.companions for r in others) or \
                        len({r.type for r in others}) < len(others):
                    problems.append(f"{len(found)} events for one command: {command.describe()} → "
                                    f"{[(r.type, r.aggregate_id, r.version) for r in found]}")
                else:
                    [row] = main
                    expected = command.expected_aggregate()
                    if expected and row.aggregate_id != expected:
                        problems.append(f"event on {row.aggregate_id}, not {expected}: {command.describe()}")
            elif command.refused and found:
                problems.append(f"a {command.status} left {len(found)} event(s): {command.describe()} → "
                                f"{[(r.type, r.aggregate_id, r.version) for r in found]}")

        # Every hash chain intact (sealing survived the faults too).
        chains = io.StringIO()
        if not audit.verify_services([s for s in services if s in stored], out=chains, environ=stack.environment()):
            problems.append(f"a hash chain is broken: {chains.getvalue()}")

        # Versions without gaps, in every store.
        for service, rows in stored.items():
            versions: dict[str, list[int]] = collections.defaultdict(list)
            for row in rows:
                versions[row.aggregate_id].append(row.version)
            for aggregate, numbers in versions.items():
                if sorted(numbers) != list(range(1, len(numbers) + 1)):
                    problems.append(f"{service}: versions of {aggregate} have gaps or repeats: {sorted(numbers)}")

        lap("stores")

        # (b): every stored public event on its topic.
        expected: dict[str, set[str]] = {}
        for topic, service in owners(services).items():
            expected[topic] = {r.event_id for r in stored.get(service, ()) if r.topic}
            in_outbox = {r.event_id for r in dbs.rows(service, select(outbox.c.event_id))}
            if missing := expected[topic] - in_outbox:
                lost += len(missing)
                problems.append(f"LOST: {len(missing)} public events of {service} never reached its outbox: "
                                f"{sorted(missing)[:5]}")
        seen = read_topics(stack.bootstrap, expected)
        for topic, ids in expected.items():
            figures.on_topics += len(ids & seen[topic].keys())
            if missing := ids - seen[topic].keys():
                lost += len(missing)
                problems.append(f"LOST: {len(missing)} stored events are not on {topic}: {sorted(missing)[:5]}")

        lap("topics")

        # (c): every read model equals a fresh replay.
        if replay:
            out = io.StringIO()
            for outcome in audit.replay_services(services, out=out, environ=stack.environment()):
                figures.replayed += outcome.events
                if not outcome.ok or outcome.notes:
                    problems.append(f"replay of {outcome.service} differs: {out.getvalue()[-3000:]}")

            lap("replay")

        # (e): a retried command returns the first answer and adds nothing.
        figures.resent = _resend(stack, dbs, [c for c in commands if c.ok and c.method == "POST"], resend, problems)
        lap("resend")
        figures.lost = lost
    finally:
        dbs.dispose()
        figures.seconds = time.monotonic() - started
        REPORTS.append(figures)
    assert not problems, f"{scenario}: {len(problems)} problems:\n" + "\n".join(problems[:40])
    assert figures.lost == 0
    return figures


def _erased(dbs: Databases, service: str, aggregate_id: str | None) -> bool:
    """Whether a volunteer erased since: the answers kept for their commands are forgotten (a retry hears 410)."""
    if service != "volunteers" or aggregate_id is None:
        return False
    erasures = select(func.count()).select_from(events).where(events.c.aggregate_id == aggregate_id,
                                                               events.c.type == "VolunteerErased")
    return dbs.scalar(service, erasures) > 0


def _resend(stack, dbs: Databases, candidates: list[Command], count: int, problems: list[str]) -> int:
    if not candidates or not count:
        return 0
    sample = random.Random(len(candidates)).sample(candidates, min(count, len(candidates)))
    owners_ = [s for s in stack.services if s in topic_names.BY_SERVICE]
    before = {s: dbs.scalar(s, select(func.count()).select_from(events)) for s in owners_}
    sessions: dict[str, object] = {}
    for command in sample:
        session = sessions.setdefault(command.subject, session_for(command.subject))
        headers = {"Idempotency-Key": command.key, "X-Correlation-ID": command.correlation_id, **command.headers}
        if command.data is not None:
            headers["Content-Type"] = "application/json"
        again = session.request("POST", stack.url(command.service) + command.path, data=command.data, headers=headers,
                                timeout=30)
        if again.status_code == 410 and (again.json() or {}).get("rule") == "answer_erased":
            if not _erased(dbs, command.service, command.expected_aggregate()):
                problems.append(f"a retry heard its answer was erased, but no erasure names it: {command.describe()}")
        elif (again.status_code, again.content) != (command.status, command.body):
            problems.append(f"a retry with the same Idempotency-Key answered {again.status_code} "
                            f"{again.content[:200]!r}, the first answer was {command.describe()}")
        elif again.headers.get("Idempotent-Replayed") != "true":
            problems.append(f"a retry was not marked as replayed: {command.describe()}")
    after = {s: dbs.scalar(s, select(func.count()).select_from(events)) for s in owners_}
    if after != before:
        problems.append(f"re-sent commands added events: before {before}, after {after}")
    return len(sample)
