"""Each measurement of `make bench`, returning plain figures (seconds, counts) for the report."""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
import multiprocessing
import queue
import time
from collections.abc import Callable

import aiohttp
from kafka import TopicPartition
from sqlalchemy import text

from infra import config, db
from infra.messaging import kafka
from infra.rebuild import run as rebuild_run
from ochotnicy.bench import load, log, processes
from ochotnicy.bench.api import Api
from ochotnicy.bench.load import percentile
from ochotnicy.bench.stack import Stack
from services.reporting.spec import CONSUMER as REPLAY_GROUP

WARM_UP = 50
REPLAY_WORKERS = 2


def _ok(samples: list[load.Sample]) -> list[load.Sample]:
    return [s for s in samples if 200 <= s.status < 300]


def _latencies_ms(samples: list[load.Sample]) -> dict[str, float]:
    seconds = [s.seconds for s in samples]
    return {f"p{q}_ms": percentile(seconds, q) * 1000 for q in (50, 95, 99)}


async def bare_throughput(stack: Stack, count: int, concurrency: int) -> dict:
    """Requests/s of the bare Flask + gunicorn endpoint inserting one row per request."""

    async def insert(session: aiohttp.ClientSession, i: int) -> int:
        async with session.post(f"{stack.bare_url}/rows", json={"n": i, "title": f"Wiersz {i}"}) as response:
            await response.read()
            return response.status

    await load.clients(insert, count=WARM_UP, concurrency=concurrency)
    started = time.perf_counter()
    samples = await load.clients(insert, count=count, concurrency=concurrency, first=WARM_UP)
    seconds = time.perf_counter() - started
    return {"requests": count, "ok": len(_ok(samples)), "seconds": seconds, "per_second": len(_ok(samples)) / seconds,
            **_latencies_ms(samples)}


async def command_throughput(api: Api, count: int, concurrency: int) -> dict:
    """Proposals/s from the first request until the reporting summary counts every accepted one."""
    await load.clients(api.propose, count=WARM_UP, concurrency=concurrency)
    async with aiohttp.ClientSession() as session:
        await api.wait_for_proposed(session, WARM_UP, timeout=120)
        base = await api.proposed(session)
        started = time.perf_counter()
        samples = await load.clients(api.propose, count=count, concurrency=concurrency, first=WARM_UP)
        answered = time.perf_counter()
        ok = len(_ok(samples))
        visible = await api.wait_for_proposed(session, base + ok, timeout=600)
    seconds = visible - started
    return {"commands": count, "ok": ok, "http_seconds": answered - started, "seconds": seconds,
            "per_second": ok / seconds, "http_per_second": ok / (answered - started), **_latencies_ms(samples)}


async def end_to_end_latency(api: Api, rate: float, seconds: float) -> dict:
    """From each 2xx to the summary counting it, with commands arriving at `rate` per second.

    The summary is polled back to back; the k-th acknowledged proposal counts as visible at the first
    answer showing k more proposals than before the run (an upper bound: the answer's arrival time).
    """
    observations: list[tuple[float, int]] = []
    done = asyncio.Event()

    async def watch(session: aiohttp.ClientSession) -> None:
        while not done.is_set():
            seen = await api.proposed(session) or 0
            observations.append((time.perf_counter(), seen))

    async with aiohttp.ClientSession() as session:
        base = await api.proposed(session)
        watcher = asyncio.create_task(watch(session))
        samples = await load.at_rate(api.propose, rate=rate, seconds=seconds, first=10**6)
        acks = sorted(s.done for s in _ok(samples))
        async with aiohttp.ClientSession() as waiter:
            await api.wait_for_proposed(waiter, base + len(acks), timeout=300)
        await asyncio.sleep(0.05)
        done.set()
        await watcher
    counts = [count - base for _, count in observations]
    latencies = []
    for k, ack in enumerate(acks, 1):
        first_seen = observations[bisect.bisect_left(counts, k)][0]
        latencies.append(max(0.0, first_seen - ack))
    return {"rate": rate, "seconds": seconds, "commands": len(samples), "ok": len(acks), "polls": len(observations),
            **{f"p{q}_ms": percentile(latencies, q) * 1000 for q in (50, 95, 99)}}


async def summary_reads(read: Callable, seconds: float, concurrency: int) -> dict:
    """A summary endpoint (`read`: Api.summary, Api.programme_summary) under `concurrency` clients reading back to back."""
    await load.clients(read, count=WARM_UP, concurrency=concurrency)
    samples = await load.for_seconds(read, seconds=seconds, concurrency=concurrency)
    ok = _ok(samples)
    return {"requests": len(samples), "ok": len(ok), "per_second": len(ok) / seconds, "clients": concurrency,
            **_latencies_ms(ok)}


def raw_consume(settings: config.Settings, count: int) -> dict:
    """kafka-python reading `count` messages of the log's topics from the start, with the services' consumer settings."""
    reader = kafka.consumer(settings, None, "bench-raw")
    try:
        partitions = [TopicPartition(t, p) for t in log.SERVICE_OF_TOPIC for p in reader.partitions_for_topic(t) or ()]
        reader.assign(partitions)
        reader.seek_to_beginning(*partitions)
        seen, started = 0, time.perf_counter()
        while seen < count:
            for records in reader.poll(timeout_ms=1000).values():
                seen += len(records)
        seconds = time.perf_counter() - started
    finally:
        reader.close()
    return {"events": seen, "seconds": seconds, "per_second": seen / seconds}


def rebuild(stack: Stack, bootstrap: str, count: int, progress: Callable[[int], None], workers: int = REPLAY_WORKERS) -> dict:
    """`workers` fresh reporting workers (one group, a new database) replaying the log until they applied `count` events.

    Two, as a rebuild would be scaled out: one worker runs its Python and its PostgreSQL backend one after
    the other, so on 2 cores a second one nearly doubles the rate (`current.py` keeps their summaries right).
    Progress is read from the group's committed offsets (on a fresh log, their sum is the events applied and
    committed), not by counting the read model's rows: a count(*) every second over a million rows took
    PostgreSQL time from the replay it measured. The total is counted once, at the end. So these workers
    commit their offsets after every batch (of up to 5,000 events), not once a second as the services do.
    """
    database_url = stack.databases.create("replay")
    engine = db.make_engine(database_url)
    admin = kafka.admin(replay_settings(bootstrap), "bench-replay-progress")
    names = [f"reporting-replay-worker-{n}" for n in range(1, workers + 1)]
    started = time.perf_counter()
    for name in names:
        stack.start_service("reporting", "worker", database_url, bootstrap=bootstrap, name=name, OCHOTNICY_OFFSET_COMMIT_S="0")
    applied, first = 0, None
    try:
        while applied < count:
            time.sleep(0.25 if count <= 100_000 else 1.0)
            if any(stack.processes.running[name].poll() is not None for name in names):
                raise RuntimeError("a replaying reporting worker died; see its log")
            now = _committed(admin, REPLAY_GROUP)
            if now and first is None:
                first = (time.perf_counter(), now)  # start-up (imports, migrations, joining the group) ends here
            progress(now - applied)
            applied = now
        finished = time.perf_counter()
        rss = max(stack.processes.peak_rss(name) for name in names)
        with engine.connect() as connection:
            recorded = connection.execute(text("SELECT count(*) FROM processed_events")).scalar_one()
    finally:
        for name in names:
            stack.processes.stop(name)
        admin.close()
        engine.dispose()
    steady = (applied - first[1]) / (finished - first[0]) if finished > first[0] else applied / (finished - started)
    return {"events": recorded, "workers": workers, "seconds": finished - started, "start_up_seconds": first[0] - started,
            "per_second": steady, "worker_peak_rss": rss}


def bulk_rebuild(stack: Stack, bootstrap: str, count: int, progress: Callable[[int], None], workers: int | None = None
                 ) -> dict:
    """The bulk rebuild (infra.rebuild, `ochotnicy rebuild reporting --into`) of the log into a new database.

    In a process of its own (its `workers` readers are its children), whose memory is sampled as it runs: the peak is
    the largest sum over the process and its children. Timed from its first step (migrations) to its last (the summaries
    kept, the tables analysed), inside the process, so Python's start-up and imports are not in it.
    """
    url = stack.databases.create("bulk_rebuild")
    workers = workers or rebuild_run.readers()
    context = multiprocessing.get_context("spawn")  # nothing of this process (its event loop, its clients) goes along
    done, results = context.Value("q", 0), context.Queue()
    child = context.Process(target=_bulk_child, args=(url, bootstrap, workers, done, results))
    child.start()
    peak, seen, answer = 0, 0, None
    try:
        while answer is None:
            peak = max(peak, processes.peak_rss(child.pid))
            now = done.value
            progress(now - seen)
            seen = now
            try:
                answer = results.get(timeout=0.5)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError("the bulk rebuild died; see its output") from None
    finally:
        child.join(30)
    if "error" in answer:
        raise RuntimeError(f"the bulk rebuild failed:\n{answer['error']}")
    progress(done.value - seen)
    return {**answer, "workers": workers, "per_second": answer["read"] / answer["seconds"], "peak_rss": peak}


def _bulk_child(url: str, bootstrap: str, workers: int, done, results) -> None:
    """Runs in the bulk rebuild's process: the rebuild, timed; its figures (or the error) on `results`."""
    import traceback

    from infra.rebuild import fresh
    from services.reporting.spec import SPEC

    def counted(n: int) -> None:
        with done.get_lock():
            done.value += n

    try:
        engine = db.make_engine(url)
        started = time.perf_counter()
        built = fresh.build(SPEC, replay_settings(bootstrap), engine, workers, counted)
        seconds = time.perf_counter() - started
        with engine.connect() as connection:
            recorded = connection.execute(text("SELECT count(*) FROM processed_events")).scalar_one()
        engine.dispose()
        results.put({"events": recorded, "read": built.read, "applied": built.applied, "seconds": seconds,
                     "steps": {"prepare": seconds - built.seconds, **built.timings}})
    except BaseException:  # noqa: BLE001 - handed to the bench, which raises it
        results.put({"error": traceback.format_exc()})


def _committed(admin, group: str) -> int:
    """Messages `group` has committed past, over all partitions (on a fresh log: the events it applied)."""
    offsets = admin.list_group_offsets(group).get(group, {})
    return sum(max(0, o.offset) for o in offsets.values())


def replay_settings(bootstrap: str) -> config.Settings:
    return dataclasses.replace(config.load("cli"), kafka_bootstrap=bootstrap)


def timed(work: Callable[[], None], events: int) -> dict:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return {"events": events, "seconds": seconds, "per_second": events / seconds}
