"""Runs every phase of the benchmark in one go and writes bench/results/<mode>.{json,md}."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import json
import tempfile
from pathlib import Path

import psycopg
from tqdm import tqdm

from infra import config
from infra.rebuild import run as rebuild_run
from ochotnicy.bench import log, phases, report, stack
from ochotnicy.bench.api import Api


@dataclasses.dataclass(frozen=True)
class Sizes:
    commands: int
    clients: int
    latency_seconds: float
    reads_seconds: float
    readers: int
    replay_events: int
    replay_runs: int = 1
    """Raw reads and bulk rebuilds of the log, alternated: the row is the run of the median ratio (this machine's speed
    per core moves from one quarter hour to the next, and the raw read on one core with it: docs/performance.md)."""


FULL = Sizes(commands=3000, clients=16, latency_seconds=20, reads_seconds=10, readers=4, replay_events=1_000_000, replay_runs=3)
QUICK = Sizes(commands=300, clients=16, latency_seconds=5, reads_seconds=3, readers=4, replay_events=20_000)
RESULTS = Path("bench/results")


def _say(text: str) -> None:
    print(f"[bench] {text}", flush=True)


def run(sizes: Sizes, mode: str, out: Path = RESULTS) -> dict:
    """Starts the stack, measures, stops it; returns the results (also written to `out`)."""
    results: dict = {"mode": mode, "sizes": dataclasses.asdict(sizes), **context()}
    with tempfile.TemporaryDirectory(prefix="ochotnicy-bench-") as logs:
        _say(f"starting Tansu, PostgreSQL databases and 4 services (web + worker); logs in {logs}")
        system = stack.start(Path(logs))
        try:
            _measure(system, sizes, results)
        finally:
            system.stop()
    write(out, mode, results, report.markdown(results))
    return results


def context() -> dict:
    """The machine and the time of a run, as the results of every benchmark open."""
    with psycopg.connect(config.postgres_admin_url()) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    return {"machine": report.machine(postgres), "started_at": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}


def write(out: Path, name: str, results: dict, markdown: str) -> None:
    """`out`/`name`.json and `out`/`name`.md."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / f"{name}.md").write_text(markdown, encoding="utf-8")


def _measure(system: stack.Stack, sizes: Sizes, results: dict) -> None:
    api = Api(system)
    asyncio.run(api.prepare())
    _say(f"1/6 throughput: bare endpoint, then {sizes.commands} proposals from {sizes.clients} clients")
    results["bare"] = asyncio.run(phases.bare_throughput(system, sizes.commands, sizes.clients))
    results["throughput"] = asyncio.run(phases.command_throughput(api, sizes.commands, sizes.clients))
    rate = max(1.0, results["throughput"]["per_second"] / 2)
    _say(f"2/6 end-to-end latency at {rate:.0f} commands/s for {sizes.latency_seconds:.0f} s")
    results["latency"] = asyncio.run(phases.end_to_end_latency(api, rate, sizes.latency_seconds))
    _say(f"3/6 summary reads: {sizes.readers} clients for {sizes.reads_seconds:.0f} s, the edition's, then the programme's")
    results["reads"] = asyncio.run(phases.summary_reads(api.summary, sizes.reads_seconds, sizes.readers))
    results["programme_reads"] = asyncio.run(phases.summary_reads(api.programme_summary, sizes.reads_seconds, sizes.readers))
    results["memory"] = system.peak_rss()
    replay_broker = system.processes.broker()
    settings = phases.replay_settings(replay_broker.bootstrap)
    _say(f"4/6 replay: writing a log of {sizes.replay_events:,} events to a second broker, then reading it raw")
    with tqdm(total=sizes.replay_events, unit="ev", desc="log", mininterval=2) as bar:
        results["log"] = phases.timed(lambda: log.publish(settings, sizes.replay_events, bar.update), sizes.replay_events)
    _say(f"5/6 replay: the bulk rebuild ({rebuild_run.readers()} reading processes) of a new reporting read model from that log, "
         f"{sizes.replay_runs} time(s), each right after a raw read")
    runs = []
    for n in range(sizes.replay_runs):
        raw = phases.raw_consume(settings, sizes.replay_events)
        with tqdm(total=sizes.replay_events, unit="ev", desc=f"bulk {n + 1}", mininterval=2) as bar:
            runs.append((raw, phases.bulk_rebuild(system, replay_broker.bootstrap, sizes.replay_events, bar.update)))
    results["memory"]["reporting-bulk-rebuild"] = max(bulk.pop("peak_rss") for _raw, bulk in runs)
    results["raw_consume"], results["bulk_rebuild"] = median_run(runs)
    results["bulk_runs"] = [{"raw_per_second": raw["per_second"], "per_second": bulk["per_second"],
                             "ratio": bulk["per_second"] / raw["per_second"]} for raw, bulk in runs]
    _say(f"6/6 replay: {phases.REPLAY_WORKERS} new reporting workers catching up on that log as live consumers")
    with tqdm(total=sizes.replay_events, unit="ev", desc="replay", mininterval=2) as bar:
        results["replay"] = phases.rebuild(system, replay_broker.bootstrap, sizes.replay_events, bar.update)
    results["memory"]["reporting-replay-worker"] = results["replay"].pop("worker_peak_rss")


def median_run(runs: list[tuple[dict, dict]]) -> tuple[dict, dict]:
    """The (raw read, bulk rebuild) whose ratio is the median of the runs' (the lower of the middle two if they are even)."""
    ordered = sorted(runs, key=lambda run: run[1]["per_second"] / run[0]["per_second"])
    return ordered[(len(ordered) - 1) // 2]


def main(quick: bool = False) -> int:
    results = run(QUICK if quick else FULL, "quick" if quick else "latest")
    print()
    print(report.markdown(results))
    return 0
