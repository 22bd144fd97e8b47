"""The compose services as local processes (tests/e2e/test_production_stack.py): commands and environments as compose
gives them, hosts, ports, /tmp and named volumes mapped to this machine."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from infra import config
from infra.messaging import kafka
from ochotnicy.bench.processes import clean_environment
from ochotnicy.broker import Tansu
from tests.support.compose import COMPOSE, environment
from tests.support.stack import free_port

SERVICES = tuple(config.SERVICES)
CONTAINERS = tuple(f"{service}-{role}" for service in SERVICES for role in ("web", "worker"))
WEB_WORKERS = "2"
TANSU_GROUPS = {"OCHOTNICY_CONSUMER_SESSION_TIMEOUT_MS": "6000", "OCHOTNICY_CONSUMER_HEARTBEAT_MS": "500"}
"""Kafka's group timeouts are compose's; Tansu, standing in for Kafka, takes 20 s to form a group with them."""
SHORT_REQUESTS = {"OCHOTNICY_HTTP_HEADER_TIMEOUT_S": "2", "OCHOTNICY_HTTP_BODY_TIMEOUT_S": "2"}


class Stack:
    """The compose services as local processes, each in the environment compose would give its container."""

    def __init__(self, databases, broker: Tansu, root: Path) -> None:
        self.broker = broker
        self.root = root
        self.database_urls = {s: databases.create(f"prod_{s}").replace("postgresql+psycopg://", "postgresql://") for s in SERVICES}
        self.web_ports = {s: free_port() for s in SERVICES}
        self.worker_ports = {s: free_port() for s in SERVICES}
        self.processes: dict[str, subprocess.Popen] = {}
        self.topics_before_start: set[str] = set()

    def environment(self, container: str) -> dict[str, str]:
        """Compose's environment for `container`, its hosts and paths mapped to this machine."""
        mapped = {name: self._mapped(container, name, value) for name, value in environment(container).items()}
        if "OCHOTNICY_WEB_WORKERS" in mapped:
            mapped["OCHOTNICY_WEB_WORKERS"] = WEB_WORKERS
        if "OCHOTNICY_CONSUMER_SESSION_TIMEOUT_MS" in mapped:
            mapped |= TANSU_GROUPS
        if "OCHOTNICY_HTTP_HEADER_TIMEOUT_S" in mapped:
            mapped |= SHORT_REQUESTS
        hosts = ("kafka:", "@postgres:", "-web:")
        leftover = [f"{k}={v}" for k, v in mapped.items() if any(h in v for h in hosts) or v.startswith("/var/")]
        assert not leftover, f"a compose host or volume is left unmapped: {leftover}"
        return clean_environment() | mapped

    def _mapped(self, container: str, name: str, value: str) -> str:
        service = name.removeprefix("OCHOTNICY_").split("_")[0].lower()
        if name.endswith("_DATABASE_URL"):
            return self.database_urls[service]
        if name.endswith("_WORKER_PORT"):
            return str(self.worker_ports[service])
        if name.endswith("_PORT") and service in SERVICES:
            return str(self.web_ports[service])
        if name.endswith("_URL") and service in SERVICES and value.startswith("http://"):
            return self.web_url(service)
        if name == "OCHOTNICY_KAFKA_BOOTSTRAP":
            return self.broker.bootstrap
        if name == "OCHOTNICY_HTTP_HOST":
            return "127.0.0.1"  # 0.0.0.0 inside a container; here, this machine's loopback only
        if name == "PATH":  # the image's virtualenv first: here, the one running these tests
            return f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        for entry in COMPOSE["services"][container].get("volumes", []):  # a named volume: one folder, shared
            volume, target = entry.split(":")[:2]
            if value.startswith(f"{target}/") and volume in COMPOSE["volumes"]:
                return str(self.root / "volumes" / volume / value.removeprefix(f"{target}/"))
        if value.startswith(("/tmp/", "/var/")):
            return str(self.root / container / value.removeprefix("/"))  # each container has a filesystem of its own
        return value

    def command(self, container: str, env: dict[str, str]) -> list[str]:
        command = list(COMPOSE["services"][container]["command"])
        found = shutil.which(command[0], path=env["PATH"])
        assert found, f"{command[0]} is not installed"
        return [found, *command[1:]]

    def run(self, container: str, *override: str) -> subprocess.CompletedProcess:
        """A one-off container: its command (or `override`, as `docker compose run` takes one) to completion."""
        env = self.environment(container)
        command = self.command(container, env)
        if override:
            command = [command[0], *override[1:]]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    def start(self, container: str) -> None:
        env = self.environment(container)
        log = open(self.root / f"{container}.log", "ab")
        self.processes[container] = subprocess.Popen(self.command(container, env), env=env, stdout=log,
                                                     stderr=subprocess.STDOUT, start_new_session=True)

    def web_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.web_ports[service]}"

    def worker_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.worker_ports[service]}"

    def wait_healthy(self, timeout: float = 120.0) -> None:
        pending = {f"{s}-web": f"{self.web_url(s)}/healthz" for s in SERVICES}
        pending |= {f"{s}-worker": f"{self.worker_url(s)}/healthz" for s in SERVICES}
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            for container, url in list(pending.items()):
                if self.processes[container].poll() is not None:
                    raise AssertionError(f"{container} exited: {self.log(container)[-3000:]}")
                try:
                    if requests.get(url, timeout=2).status_code == 200:
                        del pending[container]
                except requests.RequestException:
                    pass
            time.sleep(0.3)
        assert not pending, f"not healthy after {timeout} s: {sorted(pending)}"

    def log(self, container: str) -> str:
        return (self.root / f"{container}.log").read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM, as compose stops a container; what is still running after a few seconds is killed (no broker now)."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 5
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def topic_names(broker: Tansu) -> list[str]:
    client = kafka.admin(config.load("cli", {"OCHOTNICY_KAFKA_BOOTSTRAP": broker.bootstrap}), "production-test")
    try:
        return [t for t in client.list_topics() if not t.startswith("__")]
    finally:
        client.close()
