"""`make bench-cost`: what one request costs its web process, in instructions (callgrind) and SQL statements.

The stack of `make bench`, with the bare endpoint's and three services' web processes under callgrind, each
with one gunicorn worker (the services' worker class and threads), so that every request of a row reaches
the worker measured and none goes to a worker not yet warm. Each row sends its requests one at a time.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import shutil
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy.engine import make_url

from infra import config
from ochotnicy.bench import cost_report, load, runner, stack, statements
from ochotnicy.bench.api import Api
from ochotnicy.bench.callgrind import Callgrind

REQUESTS = 300
WARM_UP = 50
MEASURED = ("bare-web", "applications-web", "funding-web", "volunteers-web")
GRANTED = "5000.00"


def _say(text: str) -> None:
    print(f"[bench-cost] {text}", flush=True)


@dataclasses.dataclass(frozen=True)
class Row:
    key: str
    request: str
    process: str
    status: int
    call: load.Call


class Launcher:
    """Starts the measured web processes under callgrind, with one worker, their statements logged by PostgreSQL."""

    def __init__(self, callgrind: Callgrind) -> None:
        self.callgrind = callgrind
        self.databases: dict[str, str] = {}

    def __call__(self, name: str, database_url: str) -> tuple[list[str], dict[str, str]]:
        if name not in MEASURED:
            return [], {}
        self.databases[name] = str(make_url(database_url).database)
        # One fixed hash seed: with a random one, dicts and sets hash and collide differently in every run.
        return self.callgrind.prefix(name), {"OCHOTNICY_WEB_WORKERS": "1", "PYTHONHASHSEED": "0", **statements.ENVIRONMENT}


async def _send(session: aiohttp.ClientSession, method: str, url: str, body: dict | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, object]:
    async with session.request(method, url, json=body, headers=headers) as response:
        return response.status, await response.json(content_type=None)


class Calls:
    """The requests of the rows, and what the grants and the memberships need first: cases and volunteers."""

    def __init__(self, system: stack.Stack, api: Api) -> None:
        self._system, self._api = system, api
        self.cases: list[str] = []
        self.volunteers: list[str] = []

    def _url(self, service: str, path: str) -> str:
        return f"{self._system.urls[service]}/api/v1{path}"

    async def bare(self, session: aiohttp.ClientSession, i: int) -> int:
        return (await _send(session, "POST", f"{self._system.bare_url}/rows", {"n": i, "title": f"Wiersz {i}"}))[0]

    async def refused(self, session: aiohttp.ClientSession, i: int) -> int:
        return await self._api.propose(session, i, {**self._api.proposal(i), "title": ""})

    async def grant(self, session: aiohttp.ClientSession, i: int) -> int:
        url = self._url("funding", f"/cases/{self.cases[i]}/grant")
        return (await _send(session, "POST", url, {"amount": GRANTED}, self._api.headers))[0]

    async def join(self, session: aiohttp.ClientSession, i: int) -> int:
        body = {"institution_id": self._api.institutions[0], "edition_id": self._api.edition_id,
                "joined_on": datetime.date.today().isoformat()}
        url = self._url("volunteers", f"/volunteers/{self.volunteers[i]}/memberships")
        return (await _send(session, "POST", url, body, self._api.headers))[0]

    async def wait_for_cases(self, count: int, timeout: float = 120) -> None:
        """Until funding has a case for `count` proposals of the edition (its consumer reads them)."""
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as session:
            while len(self.cases) < count:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"funding has {len(self.cases)} cases of {count} after {timeout} s")
                await asyncio.sleep(0.5)
                url = self._url("funding", f"/cases?edition_id={self._api.edition_id}")
                status, cases = await _send(session, "GET", url, headers=self._api.headers)
                self.cases = sorted(case["partnership_id"] for case in cases) if status == 200 else []

    async def register_volunteers(self, count: int) -> None:
        async with aiohttp.ClientSession() as session:
            for i in range(count):
                body = {"first_name": "Anna", "last_name": f"Pomiarowa {i}", "email": f"anna.pomiarowa.{i}@example.org"}
                status, volunteer = await _send(session, "POST", self._url("volunteers", "/volunteers"), body, self._api.headers)
                if status != 201:
                    raise RuntimeError(f"registering volunteer {i}: {status} {volunteer}")
                self.volunteers.append(volunteer["id"])


class Meter:
    """One row measured: warmed up, then its requests counted in instructions and statements."""

    def __init__(self, system: stack.Stack, launcher: Launcher, log: statements.ServerLog | None) -> None:
        self._system, self._launcher, self._log = system, launcher, log

    async def measure(self, row: Row) -> dict:
        await self._first(row)
        self._check(row, await load.clients(row.call, count=WARM_UP - 1, concurrency=1, first=1))
        callgrind = self._launcher.callgrind
        pid = callgrind.worker(self._system.processes.running[row.process].pid)
        await asyncio.to_thread(callgrind.start, pid)  # the other row, measured meanwhile, is not held up
        mark = self._log.mark() if self._log else 0
        started = time.monotonic()
        samples = await load.clients(row.call, count=REQUESTS, concurrency=1, first=WARM_UP)
        instructions = await asyncio.to_thread(callgrind.stop, row.process, pid)
        self._check(row, samples)
        counted = self._log.count_since(mark, self._launcher.databases[row.process]) if self._log else None
        result = {"key": row.key, "request": row.request, "process": row.process.removesuffix("-web"), "status": row.status,
                  "requests": REQUESTS, "instructions": instructions, "instructions_per_request": instructions / REQUESTS,
                  "statements": counted, "statements_per_request": None if counted is None else counted / REQUESTS}
        _say(f"{row.request} → {row.status}: {result['instructions_per_request'] / 1e6:.2f} M instructions, "
             f"{cost_report.statements(result)} statements per request ({time.monotonic() - started:.0f} s)")
        return result

    @staticmethod
    async def _first(row: Row, timeout: float = 120) -> None:
        """The first request, repeated until answered as the row expects (a consumer may still be catching up)."""
        deadline = time.monotonic() + timeout
        async with load.client(1) as session:
            while (status := await row.call(session, 0)) != row.status:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{row.request}: {status} instead of {row.status} for {timeout} s")
                await asyncio.sleep(0.5)

    @staticmethod
    def _check(row: Row, samples: list[load.Sample]) -> None:
        wrong = sorted({s.status for s in samples if s.status != row.status})
        if wrong:
            raise RuntimeError(f"{row.request}: answered {wrong}, expected {row.status}")


async def _measure(system: stack.Stack, meter: Meter) -> list[dict]:
    """Rows on different web processes at once (a count is the same on a busy machine): the proposals, then
    their grants beside the refused proposals; beside them, the bare endpoint, then volunteers joining."""
    api = Api(system)
    await api.prepare()
    calls = Calls(system, api)
    measured: dict[str, dict] = {}

    async def grants() -> None:
        await calls.wait_for_cases(WARM_UP + REQUESTS)
        measured["grant"] = await meter.measure(Row("grant", "`POST /api/v1/cases/{id}/grant`", "funding-web", 201, calls.grant))

    async def applications_and_funding() -> None:
        measured["partnerships"] = await meter.measure(
            Row("partnerships", "`POST /api/v1/partnerships`", "applications-web", 201, api.propose))
        funding = asyncio.create_task(grants())
        measured["refused"] = await meter.measure(
            Row("refused", "`POST /api/v1/partnerships` with a blank title, refused at the edge", "applications-web", 422,
                calls.refused))
        await funding

    async def bare_then_volunteers() -> None:
        measured["bare"] = await meter.measure(
            Row("bare", "bare endpoint `POST /rows` (Flask, one INSERT)", "bare-web", 201, calls.bare))
        await calls.register_volunteers(WARM_UP + REQUESTS)
        measured["memberships"] = await meter.measure(
            Row("memberships", "`POST /api/v1/volunteers/{id}/memberships`", "volunteers-web", 201, calls.join))

    await asyncio.gather(applications_and_funding(), bare_then_volunteers())
    return [measured[key] for key in ("partnerships", "grant", "memberships", "refused", "bare")]


def run(out: Path = runner.RESULTS) -> dict:
    log, source = statements.ServerLog.locate(config.postgres_admin_url())
    results: dict = {**runner.context(), "requests": REQUESTS, "warm_up": WARM_UP,
                     "statements_source": f"PostgreSQL's log ({source}), `log_statement = all` on that process's connections"
                     if log else f"not counted: {source}"}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ochotnicy-bench-cost-") as logs:
        _say(f"starting the stack, {', '.join(MEASURED)} under callgrind; logs in {logs}")
        launcher = Launcher(Callgrind(Path(logs)))
        system = stack.start(Path(logs), launcher, timeout=240)
        try:
            _say(f"started in {time.monotonic() - started:.0f} s; {REQUESTS} requests a row after {WARM_UP} of warm-up")
            results["rows"] = asyncio.run(_measure(system, Meter(system, launcher, log)))
        finally:
            stopping = time.monotonic()
            system.stop()
            _say(f"stopped in {time.monotonic() - stopping:.0f} s")
    results["seconds"] = round(time.monotonic() - started)
    runner.write(out, "cost", results, cost_report.markdown(results))
    return results


def main() -> int:
    missing = [tool for tool in ("valgrind", "callgrind_control") if shutil.which(tool) is None]
    if missing:
        print(f"{' and '.join(missing)} not found: install valgrind (scripts/ensure-valgrind.sh, as `make bench-cost` does)")
        return 1
    results = run()
    print()
    print(cost_report.markdown(results))
    print(f"({results['seconds']} s)")
    return 0
