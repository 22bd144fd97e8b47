"""The real thing for end-to-end tests: each service's web (gunicorn) and worker as processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from infra import config
from tests.support.stack import auth, free_port


class LiveStack:
    """Starts `ochotnicy web S` and `ochotnicy worker S` for each service on scratch databases."""

    def __init__(self, services, databases, bootstrap_servers: str, logs: Path, extra_env: dict | None = None) -> None:
        self.services = list(services)
        self._databases = databases
        self._bootstrap = bootstrap_servers
        self._logs = logs
        self._extra = extra_env or {}
        self.ports = {s: free_port() for s in self.services}
        self.database_urls = {s: databases.create(f"e2e_{s}") for s in self.services}
        self._processes: dict[str, subprocess.Popen] = {}

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OCHOTNICY_")}
        env.update(
            OCHOTNICY_ENV="local",
            OCHOTNICY_KAFKA_BOOTSTRAP=self._bootstrap,
            OCHOTNICY_LOG_LEVEL="INFO",
            OCHOTNICY_WEB_WORKERS="1",
            OCHOTNICY_WEB_THREADS="4",
            OCHOTNICY_DATA_DIR=str(self._logs / "data"),  # what the services keep beside their databases
            PYTHONUNBUFFERED="1",
        )
        for service in self.services:
            env[f"OCHOTNICY_{service.upper()}_DATABASE_URL"] = self.database_urls[service]
            env[f"OCHOTNICY_{service.upper()}_PORT"] = str(self.ports[service])
        for service in config.SERVICES:
            if service in self.ports:
                env[f"OCHOTNICY_{service.upper()}_URL"] = self.url(service)
        env.update(self._extra)
        return env

    def log(self, name: str) -> str:
        """What the process `name` (e.g. "applications-worker") has written so far."""
        return (self._logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self) -> LiveStack:
        for service in self.services:
            self.start_process(service, "web")
            self.start_process(service, "worker")
        self.wait_healthy()
        return self

    def start_process(self, service: str, role: str) -> subprocess.Popen:
        log = open(self._logs / f"{service}-{role}.log", "ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "ochotnicy.cli", role, service],
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._processes[f"{service}-{role}"] = process
        return process

    def process(self, name: str) -> subprocess.Popen:
        return self._processes[name]

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.services)
        while pending and time.monotonic() < deadline:
            for service in list(pending):
                try:
                    if requests.get(f"{self.url(service)}/healthz", timeout=1).status_code == 200:
                        pending.discard(service)
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        if pending:
            raise RuntimeError(f"not healthy after {timeout} s: {sorted(pending)}; see {self._logs}")

    def stop_process(self, name: str, timeout: float = 20.0) -> None:
        process = self._processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self) -> None:
        for name in list(self._processes):
            self.stop_process(name)

    def session(self, *roles: str, subject: str = "tester") -> requests.Session:
        """An HTTP session carrying a token with `roles`."""
        session = requests.Session()
        session.headers.update(auth(*roles, subject=subject))
        return session

    def __enter__(self) -> LiveStack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
