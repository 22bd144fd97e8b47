"""Fault injection on a live stack: kill and restart processes, restart the broker empty, cut database connections."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from infra import config
from ochotnicy.broker import Tansu
from tests.support.live import LiveStack
from tests.support.waiting import wait_until


class FaultStack(LiveStack):
    """A LiveStack that owns its broker and lets a test kill, add and restart processes."""

    def __init__(self, services, databases, broker: Tansu, logs: Path, extra_env: dict | None = None) -> None:
        super().__init__(services, databases, broker.bootstrap, logs, extra_env)
        self.broker = broker
        self.logs = logs

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap

    def start_module(self, name: str, module: str, *args: str) -> subprocess.Popen:
        """Runs `python -m module args…` with the stack's environment, logging to `<name>.log`."""
        log = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args], env=self.environment(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._processes[name] = process
        return process

    def add_worker(self, service: str, name: str) -> subprocess.Popen:
        """Another worker process of `service` (another member of its consumer groups)."""
        return self.start_module(name, "ochotnicy.cli", "worker", service)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int:
        """Sends `sig` to the process `name` and waits for it to end; returns its exit code."""
        process = self._processes.pop(name)
        os.kill(process.pid, sig)
        return process.wait(timeout=30)

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self._processes.items() if p.poll() is None}

    def stop(self) -> None:
        """Stops every process at once (SIGTERM, then SIGKILL after 20 s), not one after the other."""
        running = [p for p in self._processes.values() if p.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + 20
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._processes.clear()

    def log_text(self) -> dict[str, str]:
        return {path.name: path.read_text(errors="replace") for path in sorted(self.logs.glob("*.log"))}


def cut_connections(database_urls) -> int:
    """Terminates every backend connected to the given databases; returns how many were cut."""
    names = [make_url(url).database for url in database_urls]
    with psycopg.connect(config.postgres_admin_url(), autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY(%s) AND pid <> pg_backend_pid()",
            (names,),
        ).fetchall()
    return sum(1 for (terminated,) in rows if terminated)


def processed(database_url: str, consumer: str) -> int:
    """How many events `consumer` has applied (to see a worker make progress before killing it)."""
    with psycopg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(False)) as connection:
        return connection.execute("SELECT count(*) FROM processed_events WHERE consumer = %s", (consumer,)).fetchone()[0]


def wait_for_progress(database_url: str, consumer: str, more_than: int, timeout: float = 60.0) -> int:
    return wait_until(lambda: (n := processed(database_url, consumer)) > more_than and n, timeout=timeout,
                      what=f"{consumer} to apply more than {more_than} events")
