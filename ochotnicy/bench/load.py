"""HTTP load from one asyncio process: a fixed number of clients, or a fixed arrival rate."""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from collections.abc import Awaitable, Callable, Sequence

import aiohttp

Call = Callable[[aiohttp.ClientSession, int], Awaitable[int]]
"""Makes request number i and returns its HTTP status."""


@dataclasses.dataclass(frozen=True)
class Sample:
    sent: float
    done: float
    status: int

    @property
    def seconds(self) -> float:
        return self.done - self.sent


def client(concurrency: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency, force_close=False))


async def _timed(session: aiohttp.ClientSession, call: Call, i: int) -> Sample:
    sent = time.perf_counter()
    try:
        status = await call(session, i)
    except aiohttp.ClientError:
        status = 0
    return Sample(sent, time.perf_counter(), status)


async def clients(call: Call, *, count: int, concurrency: int, first: int = 0) -> list[Sample]:
    """`count` requests from `concurrency` clients, each sending its next as soon as the last is answered."""
    numbers = iter(range(first, first + count))
    samples: list[Sample] = []

    async def one_client(session: aiohttp.ClientSession) -> None:
        for i in numbers:
            samples.append(await _timed(session, call, i))

    async with client(concurrency) as session:
        await asyncio.gather(*(one_client(session) for _ in range(concurrency)))
    return samples


async def for_seconds(call: Call, *, seconds: float, concurrency: int) -> list[Sample]:
    """Clients sending back to back until `seconds` have passed."""
    deadline = time.perf_counter() + seconds
    samples: list[Sample] = []

    async def one_client(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            samples.append(await _timed(session, call, len(samples)))

    async with client(concurrency) as session:
        await asyncio.gather(*(one_client(session) for _ in range(concurrency)))
    return samples


async def at_rate(call: Call, *, rate: float, seconds: float, first: int = 0) -> list[Sample]:
    """Requests started at a fixed rate whatever the answers do (an open loop, as real users arrive)."""
    count = max(1, int(rate * seconds))
    start = time.perf_counter()

    async def scheduled(session: aiohttp.ClientSession, i: int) -> Sample:
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        return await _timed(session, call, first + i)

    async with client(256) as session:
        return list(await asyncio.gather(*(scheduled(session, i) for i in range(count))))


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
