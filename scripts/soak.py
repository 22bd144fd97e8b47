"""`make soak`: the local stack under a steady mixed load for a long while, watched every minute (issue 29).

Every service's web and worker run as processes on PostgreSQL and their own Tansu broker (tests/support/faults.py's
stack). The fault driver's command mix (tests/support/load.py) first runs flat out for a short calibration, then at
about half that rate for `--minutes`: each client waits between commands about 1.5 times as long as a command took
during the calibration. Each minute: the commands answered and their p50/p99, the oldest unpublished event, every consumer
group's lag, and each process's resident memory and open descriptors (its gunicorn workers included). At the end the
nothing-lost checker checks every command. It fails on the bounds of scripts/soak_verdict.py.Bounds, or anything lost.

    .venv/bin/python -m scripts.soak --minutes 30 [--clients 6]    (the report: soak.md beside the processes' logs)
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
import requests

from infra import config, spec
from infra.messaging.offsets import Offsets
from ochotnicy.bench.processes import Databases, postgres_available
from ochotnicy.broker import Tansu
from scripts.soak_verdict import Bounds, Sample, cpu_table, growth_table, judge, latencies, load_table, process_table
from tests.support import nothing_lost
from tests.support.driver import Driver
from tests.support.faults import FaultStack
from tests.support.load import Load
from tests.support.recording import Recorder, session_for
from tests.support.stack import free_port
from tests.support.world import World

SERVICES = tuple(config.SERVICES)
CALIBRATION_S = 30.0


def _process_figures(stack: FaultStack) -> tuple[dict[str, float], dict[str, int], dict[str, float]]:
    rss: dict[str, float] = {}
    fds: dict[str, int] = {}
    cpu: dict[str, float] = {}
    for name, pid in stack.pids().items():
        try:
            parent = psutil.Process(pid)
            family = [parent, *parent.children(recursive=True)]
            rss[name] = sum(p.memory_info().rss for p in family) / 2**20
            fds[name] = sum(p.num_fds() for p in family)
            cpu[name] = sum(t.user + t.system for t in (p.cpu_times() for p in family))
        except psutil.NoSuchProcess:
            continue
    return rss, fds, cpu


def _outbox_age(stack: FaultStack) -> float:
    oldest = 0.0
    for service in SERVICES:
        try:
            answer = requests.get(f"{stack.url(service)}/healthz", timeout=10).json()
        except (requests.RequestException, ValueError):
            continue
        oldest = max(oldest, float(answer.get("outbox", {}).get("oldest_age_s") or 0.0))
    return oldest


def _lag(offsets: Offsets) -> int:
    return sum(row.lag for service in SERVICES for group in spec.load(service).consumed
               for row in offsets.lag(group.name, group.topics))


def sample(minute: int, since: float, recorder: Recorder, stack: FaultStack, offsets: Offsets) -> Sample:
    """The minute that began at `since` (time.monotonic()), measured now."""
    answered = [c.finished - c.started for c in list(recorder.commands) if c.finished >= since and c.status is not None]
    p50, p99 = latencies(answered)
    rss, fds, cpu = _process_figures(stack)
    return Sample(minute, len(answered), p50, p99, _outbox_age(stack), _lag(offsets), rss, fds, cpu, since)


def calibrate(recorder: Recorder, world: World, clients: int) -> float:
    """Commands a second the stack answers with `clients` clients that never wait."""
    started = time.monotonic()
    with Load(recorder, world, clients=clients, think=0) as load:
        time.sleep(CALIBRATION_S)
        answered = sum(1 for c in load.commands if c.status is not None)
    return answered / (time.monotonic() - started)


def soak(minutes: int, clients: int, logs: Path) -> tuple[str, list[str]]:
    """Runs the soak; returns its report (Markdown) and what broke its bounds."""
    databases = Databases("och_soak")
    bounds = Bounds(warmup=min(Bounds.warmup, minutes // 2))
    try:
        with Tansu(port=free_port(), log=logs / "tansu.log") as broker, FaultStack(SERVICES, databases, broker, logs) as stack:
            recorder = Recorder({s: stack.url(s) for s in SERVICES})
            world = World(uuid.uuid4().hex[:6])
            Driver(recorder, world).seed(session_for("seeder"))
            flat_out = calibrate(recorder, world, clients)
            # A client flat out waits only for its command, `clients / flat_out` seconds; waiting 1.5 times that again
            # (its command is quicker under the lighter load) brings the rate to about half.
            think = 1.5 * clients / flat_out
            print(f"calibration: {flat_out:.1f} commands/s flat out with {clients} clients; soaking with {think * 1000:.0f} ms "
                  f"between commands", flush=True)
            samples: list[Sample] = []
            settings = config.load("cli", {"OCHOTNICY_KAFKA_BOOTSTRAP": broker.bootstrap})
            with Load(recorder, world, clients=clients, think=think) as load, Offsets(settings, "ochotnicy-soak") as offsets:
                for minute in range(1, minutes + 1):
                    since = time.monotonic()
                    time.sleep(60.0)
                    samples.append(sample(minute, since, recorder, stack, offsets))
                    print(load_table(samples).splitlines()[-1], flush=True)
            answered = [(c.action, c.started, c.finished) for c in list(recorder.commands) if c.status is not None]
            grown = growth_table(answered, samples, bounds)
            problems = judge(samples, bounds) + [f"load: {failure}" for failure in load.failures[:10]]
            try:
                checked = nothing_lost.check(stack, recorder.commands, scenario="soak", settle_timeout=600.0).line()
            except AssertionError as exc:
                checked = f"nothing-lost checker failed: {exc}"  # whole in soak.md: a replay's difference is long
                problems.append(checked)
    finally:
        databases.drop_all()
    soaked = sum(s.commands for s in samples) / (60.0 * len(samples))
    report = "\n\n".join([
        f"Soak of {minutes} minutes ({datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC): {clients} clients, "
        f"{flat_out:.1f} commands/s flat out in a {CALIBRATION_S:.0f} s calibration, {soaked:.1f} commands/s during the soak; "
        f"growth judged from minute {bounds.warmup + 1}.",
        load_table(samples), process_table(samples, bounds), cpu_table(samples, bounds), grown, checked,
        "Bounds broken:\n" + "\n".join(f"* {p}" for p in problems) if problems else "Every bound held.",
    ])
    return report, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args(argv)
    if args.minutes < 1:
        parser.error("--minutes: at least 1")
    if not postgres_available():
        print("the soak runs on PostgreSQL, and none answers", file=sys.stderr)
        return 2
    logs = Path(tempfile.mkdtemp(prefix="ochotnicy-soak-"))
    print(f"logs: {logs}", flush=True)
    report, problems = soak(args.minutes, args.clients, logs)
    (logs / "soak.md").write_text(report + "\n")
    print(report if len(report) < 20_000 else report[:20_000] + " …")
    print(f"report: {logs / 'soak.md'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
