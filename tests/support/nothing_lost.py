"""The one checker every fault scenario ends with: after a quiet period, prove that nothing was lost.

* every command that got a 2xx has exactly one event in its service's store (matched by the command's
  correlation id, of the expected type, on the expected aggregate), besides the companions its transaction may store
  (a grant's BudgetCommitted, a joining's MembershipPaperworkRecorded, one per membership a rectified birth date touches);
* every command that got a 4xx left no event;
* every accepted withdrawal reached funding, and a grant given before it was taken back there (unless settled);
* every accepted training, monitoring visit, programme and withdrawal from an edition is a fact reporting keeps, and a
  withdrawn enrolment takes no new volunteers in the volunteers service;
* every stored VolunteerHoursApproved is a fact reporting keeps (the hours its summaries add up);
* every stored public event is on its topic at least once, and every consumer has applied it;
* every read model equals a fresh replay of the log, both in bulk (`ochotnicy audit replay`, `ochotnicy rebuild`) and
  batch by batch as the live consumers apply it;
* re-sending a sample of 2xx commands with their Idempotency-Key returns the first answer and adds nothing;
* every aggregate's versions run 1, 2, 3… without gaps, and every service's hash chain holds.

`check()` returns the figures of the run (and records them for the end-of-run summary); it raises
`AssertionError` naming every problem when anything is off.
"""

from __future__ import annotations

import collections
import dataclasses
import io
import random
import time
from collections.abc import Sequence

import orjson
from sqlalchemy import func, select

from contracts import topics as topic_names
from infra.eventstore.tables import events, outbox
from ochotnicy import audit
from tests.support.consequences import approved_hours_reached_reporting, course_reached_its_consumers, withdrawn_grants_taken_back
from tests.support.recording import KEYED, Command, session_for
from tests.support.settling import Databases, owners, read_topics, settle, stored_events

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
    dbs = Databases(stack.database_urls)
    mark = time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        figures.timings[name] = time.monotonic() - mark
        mark = time.monotonic()

    try:
        _answers(commands, figures)
        settle(dbs, services, settle_timeout)
        lap("settle")
        stored = {s: stored_events(dbs, s) for s in services if s in topic_names.BY_SERVICE}
        _one_event_per_command(commands, stored, figures)
        if "funding" in stored and "applications" in stored:
            withdrawn_grants_taken_back(dbs, commands, stored["funding"], figures)
        if "applications" in stored:
            course_reached_its_consumers(dbs, commands, stored["applications"], services, figures)
        if "volunteers" in stored and "reporting" in services:
            approved_hours_reached_reporting(dbs, stored["volunteers"], figures)
        _chains_and_versions(stack, stored, figures.problems)
        lap("stores")
        _on_topics(stack, dbs, stored, figures)
        lap("topics")
        if replay:
            _replayed(stack, figures)
            lap("replay")
        figures.resent = _resend(stack, dbs, [c for c in commands if c.ok and c.method in KEYED], resend,
                                 figures.problems)
        lap("resend")
    finally:
        dbs.dispose()
        figures.seconds = time.monotonic() - started
        REPORTS.append(figures)
    problems = figures.problems
    assert not problems, f"{scenario}: {len(problems)} problems:\n" + "\n".join(problems[:40])
    assert figures.lost == 0
    return figures


def _answers(commands: Sequence[Command], figures: Figures) -> None:
    """Counts the answers; every command has a final one, no 5xx, and no deliberately bad request accepted."""
    figures.commands = len(commands)
    figures.ok = sum(c.ok for c in commands)
    figures.refused = sum(c.refused for c in commands)
    figures.retries = sum(c.retries for c in commands)
    for command in commands:
        if command.status is None or command.error:
            figures.problems.append(f"no final answer: {command.describe()}")
        elif command.status >= 500:
            figures.problems.append(f"server error: {command.describe()}")
        elif command.deliberate and not command.refused:
            figures.problems.append(f"a bad request was accepted: {command.describe()}")


def _one_event_per_command(commands: Sequence[Command], stored: dict[str, list], figures: Figures) -> None:
    """(a), (d): one event of the expected type on the expected aggregate per 2xx command, none for a 4xx."""
    problems = figures.problems
    by_correlation: dict[str, dict[str, list]] = {}
    for service, rows in stored.items():
        index: dict[str, list] = collections.defaultdict(list)
        for row in rows:
            correlation = orjson.loads(row.meta).get("correlation_id")
            if correlation:
                index[correlation].append(row)
        by_correlation[service] = index
    for command in commands:
        if command.status is None or command.service not in by_correlation:
            continue
        found = by_correlation[command.service].get(command.correlation_id, [])
        if command.ok:
            figures.events_checked += len(found)
            main = [r for r in found if not command.event_types or r.type in command.event_types]
            others = [r for r in found if r not in main]
            if not main:
                figures.lost += 1
                problems.append(f"LOST: a 2xx command has no event: {command.describe()} "
                                f"(other events: {[(r.type, r.aggregate_id) for r in others]})")
            elif len(main) > 1 or collections.Counter(r.type for r in others) - collections.Counter(command.companions):
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


def _chains_and_versions(stack, stored: dict[str, list], problems: list[str]) -> None:
    """Every hash chain intact (sealing survived the faults too), every aggregate's versions 1, 2, 3… without gaps."""
    chains = io.StringIO()
    if not audit.verify_services(list(stored), out=chains, environ=stack.environment()):
        problems.append(f"a hash chain is broken: {chains.getvalue()}")
    for service, rows in stored.items():
        versions: dict[str, list[int]] = collections.defaultdict(list)
        for row in rows:
            versions[row.aggregate_id].append(row.version)
        for aggregate, numbers in versions.items():
            if sorted(numbers) != list(range(1, len(numbers) + 1)):
                problems.append(f"{service}: versions of {aggregate} have gaps or repeats: {sorted(numbers)}")


def _on_topics(stack, dbs: Databases, stored: dict[str, list], figures: Figures) -> None:
    """(b): every stored public event reached its outbox and is on its topic."""
    expected: dict[str, set[str]] = {}
    for topic, service in owners(stack.services).items():
        expected[topic] = {r.event_id for r in stored.get(service, ()) if r.topic}
        in_outbox = {r.event_id for r in dbs.rows(service, select(outbox.c.event_id))}
        if missing := expected[topic] - in_outbox:
            figures.lost += len(missing)
            figures.problems.append(f"LOST: {len(missing)} public events of {service} never reached its outbox: "
                                    f"{sorted(missing)[:5]}")
    seen = read_topics(stack.bootstrap, expected)
    for topic, ids in expected.items():
        figures.on_topics += len(ids & seen[topic].keys())
        if missing := ids - seen[topic].keys():
            figures.lost += len(missing)
            figures.problems.append(f"LOST: {len(missing)} stored events are not on {topic}: {sorted(missing)[:5]}")


def _replayed(stack, figures: Figures) -> None:
    """(c): every read model equals a fresh replay of the log, in bulk and batch by batch."""
    for bulk in (True, False):
        out = io.StringIO()
        for outcome in audit.replay_services(list(stack.services), out=out, environ=stack.environment(), bulk=bulk):
            figures.replayed += outcome.events if bulk else 0
            if not outcome.ok or outcome.notes:
                way = "bulk rebuild" if bulk else "replay batch by batch"
                figures.problems.append(f"{way} of {outcome.service} differs: {out.getvalue()[-3000:]}")


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
        again = session.request(command.method, stack.url(command.service) + command.path, data=command.data, headers=headers,
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
