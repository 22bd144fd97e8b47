"""The benchmark's own stack: scratch PostgreSQL databases, Tansu brokers and service processes."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Sequence
from pathlib import Path

import psutil
import psycopg

from infra import config
from ochotnicy.broker import Tansu


def _ephemeral_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_ports(count: int) -> list[int]:
    """`count` distinct ports free now, below the ephemeral range.

    A port the kernel hands out for bind(0) is an ephemeral one: by the time a server binds it, an
    outgoing connection of another process (Kafka, PostgreSQL) may have taken it as its local port.
    """
    chosen: list[int] = []
    candidates = list(range(10_000, _ephemeral_start()))
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        chosen.append(port)
        if len(chosen) == count:
            return chosen
    raise RuntimeError(f"no {count} free ports below {_ephemeral_start()}")


def free_port() -> int:
    return free_ports(1)[0]


def clean_environment() -> dict[str, str]:
    """This process's environment without any of the project's settings, which the stack sets itself."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("OCHOTNICY_", "PROMETHEUS_"))}


def peak_rss(pid: int) -> int:
    """Bytes: the high-water mark of the resident set of `pid` and its children (gunicorn's workers)."""
    total = 0
    try:
        processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for process in processes:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
        except OSError:
            continue
        kilobytes = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
        total += kilobytes * 1024
    return total


def postgres_available() -> bool:
    """Whether the PostgreSQL server where scratch databases are made answers."""
    try:
        with psycopg.connect(config.postgres_admin_url(), connect_timeout=2):
            return True
    except (OSError, psycopg.Error):
        return False


class Databases:
    """Scratch databases created for one run and dropped at its end (the benchmark's and the tests').

    PostgreSQL databases on the server of `config.postgres_admin_url()`, or SQLite files in `sqlite_dir`.
    """

    def __init__(self, prefix: str = "och_bench", sqlite_dir: Path | None = None) -> None:
        self._admin = config.postgres_admin_url()
        self._prefix = prefix
        self._sqlite_dir = sqlite_dir
        self.postgres = sqlite_dir is None
        self._created: list[str] = []

    def create(self, label: str) -> str:
        name = f"{self._prefix}_{label}_{uuid.uuid4().hex[:8]}"
        if self._sqlite_dir is not None:
            return f"sqlite:///{self._sqlite_dir / name}.sqlite3"
        with psycopg.connect(self._admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return self._url(name)

    def _url(self, name: str) -> str:
        base = self._admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{name}"

    def drop_all(self) -> None:
        if not self._created:
            return
        with psycopg.connect(self._admin, autocommit=True) as connection:
            for name in self._created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()


class Processes:
    """Child processes of the run, each logging to its own file, all stopped at the end."""

    def __init__(self, logs: Path) -> None:
        self._logs = logs
        self._logs.mkdir(parents=True, exist_ok=True)
        self.running: dict[str, subprocess.Popen] = {}
        self.brokers: list[Tansu] = []

    @property
    def logs(self) -> Path:
        """The run's folder: each process's log, and what the services keep beside their databases."""
        return self._logs

    def broker(self) -> Tansu:
        tansu = Tansu(port=free_port(), log=self._logs / f"tansu-{len(self.brokers)}.log").start()
        self.brokers.append(tansu)
        return tansu

    def start(self, name: str, args: list[str], env: dict[str, str], prefix: Sequence[str] = ()) -> subprocess.Popen:
        """`python args…`, or `prefix… python args…` (e.g. under valgrind)."""
        log = open(self._logs / f"{name}.log", "ab")
        process = subprocess.Popen([*prefix, sys.executable, *args], env={**clean_environment(), **env}, stdout=log,
                                   stderr=subprocess.STDOUT)
        self.running[name] = process
        return process

    def log_tail(self, name: str, lines: int = 15) -> str:
        return "\n".join((self._logs / f"{name}.log").read_text(errors="replace").splitlines()[-lines:])

    def wait_healthy(self, name: str, url: str, timeout: float = 90.0) -> None:
        """Until `url`/healthz answers 200; fails at once, with the end of its log, if the process `name` ends."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.running[name].poll() is not None:
                raise RuntimeError(f"{name} exited with {self.running[name].returncode}:\n{self.log_tail(name)}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{name} ({url}) is not healthy after {timeout} s:\n{self.log_tail(name)}")

    def peak_rss(self, name: str) -> int:
        return peak_rss(self.running[name].pid)

    def stop(self, name: str) -> None:
        process = self.running.pop(name)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)
        for tansu in self.brokers:
            tansu.stop()
