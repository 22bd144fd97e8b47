"""The system under test: Tansu, each service's web and worker on its own PostgreSQL database, and the bare endpoint."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from pathlib import Path

from infra import config
from infra.web import auth
from ochotnicy.bench.processes import Databases, Processes, free_ports

Launch = Callable[[str, str], tuple[list[str], dict[str, str]]]
"""For a web process (its name, e.g. "funding-web", and its database's URL): a command to run Python under
(e.g. valgrind) and more environment. `make bench` runs them as they are; `make bench-cost` measures some."""


def as_they_are(_name: str, _database_url: str) -> tuple[list[str], dict[str, str]]:
    return [], {}


@dataclasses.dataclass
class Stack:
    processes: Processes
    databases: Databases
    urls: dict[str, str]
    bare_url: str
    bootstrap: str
    token: str

    def service_env(self, service: str, database_url: str, bootstrap: str) -> dict[str, str]:
        env = {
            "OCHOTNICY_ENV": "local",
            "OCHOTNICY_LOG_LEVEL": "WARNING",
            "OCHOTNICY_KAFKA_BOOTSTRAP": bootstrap,
            f"OCHOTNICY_{service.upper()}_DATABASE_URL": database_url,
            "OCHOTNICY_DATA_DIR": str(self.processes.logs / "data"),  # e.g. the erasure ledger: the run's, not data/
        }
        for name, url in self.urls.items():
            env[f"OCHOTNICY_{name.upper()}_URL"] = url
            env[f"OCHOTNICY_{name.upper()}_PORT"] = url.rsplit(":", 1)[1]
        return env

    def start_service(self, service: str, role: str, database_url: str, bootstrap: str | None = None, name: str | None = None,
                      prefix: Sequence[str] = (), **settings: str):
        """`settings`: further environment, e.g. OCHOTNICY_OFFSET_COMMIT_S="0"."""
        env = {**self.service_env(service, database_url, bootstrap or self.bootstrap), **settings}
        return self.processes.start(name or f"{service}-{role}", ["-m", "ochotnicy.cli", role, service], env, prefix)

    def peak_rss(self) -> dict[str, int]:
        return {name: self.processes.peak_rss(name) for name in self.processes.running}

    def stop(self) -> None:
        self.processes.stop_all()
        self.databases.drop_all()


def start(logs: Path, launch: Launch = as_they_are, timeout: float = 90.0) -> Stack:
    """`timeout`: how long each web process may take to answer its health check."""
    processes, databases = Processes(logs), Databases()
    try:
        broker = processes.broker()
        *ports, bare_port = free_ports(len(config.SERVICES) + 1)
        urls = {service: f"http://127.0.0.1:{port}" for service, port in zip(config.SERVICES, ports)}
        token = auth.issue(config.load("cli"), "bench", auth.ROLES, datetime.timedelta(hours=6))
        stack = Stack(processes, databases, urls, f"http://127.0.0.1:{bare_port}", broker.bootstrap, token)
        for service in config.SERVICES:
            database_url = databases.create(service)
            prefix, env = launch(f"{service}-web", database_url)
            stack.start_service(service, "web", database_url, prefix=prefix, **env)
            stack.start_service(service, "worker", database_url)
        bare_url = databases.create("bare")
        prefix, env = launch("bare-web", bare_url)
        bare_env = {"OCHOTNICY_ENV": "local", "OCHOTNICY_LOG_LEVEL": "WARNING", **env}
        processes.start("bare-web", ["-m", "ochotnicy.bench.bare", bare_url, str(bare_port)], bare_env, prefix)
        for service, url in urls.items():
            processes.wait_healthy(f"{service}-web", url, timeout)
        processes.wait_healthy("bare-web", stack.bare_url, timeout)
        return stack
    except BaseException:
        processes.stop_all()
        databases.drop_all()
        raise
