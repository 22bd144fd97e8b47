"""The soak's minute-by-minute figures, the bounds it is judged by, and its tables (scripts/soak.py runs it)."""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Sequence


@dataclasses.dataclass(frozen=True)
class Sample:
    """One minute of the soak: the commands answered in it and how fast, and the stack's state at its end."""

    minute: int
    commands: int
    p50_ms: float
    p99_ms: float
    outbox_age_s: float
    """The oldest unpublished event's age, in the service where it is oldest."""
    lag: int
    """Messages every consumer group together has still to read."""
    rss_mb: dict[str, float]
    """Each process's resident memory, its gunicorn workers included."""
    fds: dict[str, int]
    """Each process's open file descriptors, its gunicorn workers' included."""
    cpu_s: dict[str, float] = dataclasses.field(default_factory=dict)
    """Each process's CPU time so far (user and system, its gunicorn workers' included), in seconds."""
    started: float = 0.0
    """When the minute began (time.monotonic()): the commands answered in it are those finished after."""


@dataclasses.dataclass(frozen=True)
class Bounds:
    """What a soak may show and still pass."""

    warmup: int = 5
    """Minutes not judged for growth: connection pools fill, caches and the interpreter settle."""
    rss_growth: float = 0.10
    """How much more memory than at the first judged minute a process may hold later."""
    fd_growth: int = 10
    """How many more open descriptors (or 10 %, if more) than at the first judged minute."""
    p99_factor: float = 1.5
    """How much slower than the first judged minute's the 99th percentile may get."""
    lag: int = 1000
    outbox_age_s: float = 30.0
    high_for: int = 3
    """Minutes in a row that lag or outbox age may stay above its bound before the soak fails."""

    def first_judged(self, samples: Sequence[Sample]) -> int:
        """The index of the first minute judged for growth (after the warm-up), the last one if the soak was shorter."""
        return max(0, min(self.warmup, len(samples) - 1))


def latencies(durations_s: Sequence[float]) -> tuple[float, float]:
    """The median and the 99th percentile, in milliseconds (0 for none)."""
    if not durations_s:
        return 0.0, 0.0
    ordered = sorted(durations_s)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def judge(samples: Sequence[Sample], bounds: Bounds) -> list[str]:
    """Every bound the samples break, one line each (none: the soak passes)."""
    problems: list[str] = []
    judged = samples[bounds.first_judged(samples):]
    if len(samples) - bounds.warmup < 2:
        return [f"too short to judge: {len(samples)} minutes, {bounds.warmup} of them warm-up"]
    first = judged[0]
    for name, base in first.rss_mb.items():
        peak = max(s.rss_mb.get(name, 0.0) for s in judged)
        if peak > base * (1 + bounds.rss_growth):
            problems.append(f"{name}: memory grew from {base:.0f} MB to {peak:.0f} MB (+{peak / base - 1:.0%})")
    for name, base in first.fds.items():
        peak = max(s.fds.get(name, 0) for s in judged)
        if peak > base + max(bounds.fd_growth, base * 0.10):
            problems.append(f"{name}: open descriptors grew from {base} to {peak}")
    for s in judged[1:]:
        if first.p99_ms and s.p99_ms > first.p99_ms * bounds.p99_factor:
            problems.append(f"minute {s.minute}: p99 {s.p99_ms:.0f} ms, over {bounds.p99_factor}x minute {first.minute}'s "
                            f"{first.p99_ms:.0f} ms")
    problems += _stayed_high(samples, "consumer lag", [s.lag for s in samples], bounds.lag, bounds.high_for)
    problems += _stayed_high(samples, "outbox age", [s.outbox_age_s for s in samples], bounds.outbox_age_s, bounds.high_for)
    return problems


def _stayed_high(samples: Sequence[Sample], what: str, values: Sequence[float], bound: float, minutes: int) -> list[str]:
    run = 0
    for sample, value in zip(samples, values):
        run = run + 1 if value > bound else 0
        if run == minutes:
            return [f"{what} above {bound:g} for {minutes} minutes in a row, until minute {sample.minute}"]
    return []


def load_table(samples: Sequence[Sample]) -> str:
    """Minute by minute: commands, latency, outbox age and lag."""
    lines = ["| minute | commands/s | p50 ms | p99 ms | oldest unpublished s | consumer lag |", "|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {s.minute} | {s.commands / 60:.1f} | {s.p50_ms:.0f} | {s.p99_ms:.0f} | {s.outbox_age_s:.1f} | {s.lag} |"
              for s in samples]
    return "\n".join(lines)


def process_table(samples: Sequence[Sample], bounds: Bounds) -> str:
    """Each process's memory and descriptors: at the first minute, the first judged one and the last, and the growth."""
    first, judged, last = samples[0], samples[bounds.first_judged(samples)], samples[-1]
    lines = [f"| process | RSS MB min {first.minute} | min {judged.minute} | min {last.minute} | growth | "
             f"fds min {judged.minute} | min {last.minute} |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name in sorted(last.rss_mb):
        base = judged.rss_mb.get(name, 0.0)
        growth = f"{last.rss_mb[name] / base - 1:+.1%}" if base else "–"
        lines.append(f"| {name} | {first.rss_mb.get(name, 0.0):.0f} | {base:.0f} | {last.rss_mb[name]:.0f} | {growth} | "
                     f"{judged.fds.get(name, 0)} | {last.fds.get(name, 0)} |")
    return "\n".join(lines)


def growth_table(answered: Sequence[tuple[str, float, float]], samples: Sequence[Sample], bounds: Bounds) -> str:
    """Per action (`answered`: action, started, finished), its latency in the first judged minute and in the last, slowest
    growth first: which commands a failing p99 comes from."""
    judged, last = samples[bounds.first_judged(samples)], samples[-1]
    first, last_window = (judged.started, judged.started + 60.0), (last.started, last.started + 60.0)

    def within(window: tuple[float, float]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for action, started, finished in answered:
            if window[0] <= finished < window[1]:
                found.setdefault(action, []).append(finished - started)
        return found

    before, after = within(first), within(last_window)
    rows = []
    for action in sorted(before.keys() & after.keys()):
        (p50_before, p99_before), (p50_after, p99_after) = latencies(before[action]), latencies(after[action])
        rows.append((p50_after / p50_before if p50_before else 0.0, action, len(before[action]), len(after[action]),
                     p50_before, p50_after, p99_before, p99_after))
    lines = ["| command | answered first / last | p50 ms first | last | p99 ms first | last | p50 growth |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {action} | {n_before} / {n_after} | {p50_b:.0f} | {p50_a:.0f} | {p99_b:.0f} | {p99_a:.0f} | {growth:.2f}× |"
              for growth, action, n_before, n_after, p50_b, p50_a, p99_b, p99_a in sorted(rows, reverse=True)]
    return "\n".join(lines)


def cpu_table(samples: Sequence[Sample], bounds: Bounds) -> str:
    """Each process's CPU seconds in the first judged minute and in the last: where a general slowing spends the cores."""
    judged = max(bounds.first_judged(samples), 1)  # a minute's CPU is the difference from the minute before
    if judged >= len(samples):
        return "CPU: too few minutes to compare."

    def used(index: int, name: str) -> float:
        return samples[index].cpu_s.get(name, 0.0) - samples[index - 1].cpu_s.get(name, 0.0)

    first, last = samples[judged].minute, samples[-1].minute
    lines = [f"| process | CPU s in min {first} | in min {last} | growth |", "|---|---:|---:|---:|"]
    for name in sorted(samples[-1].cpu_s):
        before, after = used(judged, name), used(len(samples) - 1, name)
        lines.append(f"| {name} | {before:.1f} | {after:.1f} | {f'{after / before:.2f}×' if before else '–'} |")
    return "\n".join(lines)
