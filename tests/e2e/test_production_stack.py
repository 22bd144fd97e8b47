"""The production stack as docker-compose.yml runs it, on this machine (there is no Docker engine here).

Each container's command is run as compose gives it, with the environment compose gives it (parsed from the file,
the image's ENV beneath, the operator's secrets set), its hosts mapped to this machine: a scratch PostgreSQL
database per service for `postgres`, a Tansu broker started here for `kafka`, free local ports for the services'
ports, a directory per container for its /tmp. First the one-off steps (migrate, topics), then every web and worker.
Three changes, to keep the run short: two gunicorn workers per web instead of compose's four (the same multi-process
shape at half the CPU), the consumer groups' timeouts of the local stack, which Tansu needs (TANSU_GROUPS), and
request timeouts of 2 s instead of compose's 10 and 30 (SHORT_REQUESTS), so the slow clients' test waits 2 s.

Tansu creates a topic for anyone who writes to it and has no option to refuse, so instead of a broker that refuses,
the test checks that every topic, dead-letter topics included, exists before the first process starts, and that
the broker holds no other topic at the end.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from kafka import KafkaProducer

from contracts import topics
from infra import config
from infra.messaging import kafka, parked
from infra.web.auth import issue
from ochotnicy.bench.processes import clean_environment
from ochotnicy.broker import Tansu
from tests.support.compose import COMPOSE, environment
from tests.support.slow_clients import SlowClients, health_answers_meanwhile
from tests.support.stack import free_port
from tests.support.waiting import wait_until

SERVICES = tuple(config.SERVICES)
CONTAINERS = tuple(f"{service}-{role}" for service in SERVICES for role in ("web", "worker"))
WEB_WORKERS = "2"
TANSU_GROUPS = {"OCHOTNICY_CONSUMER_SESSION_TIMEOUT_MS": "6000", "OCHOTNICY_CONSUMER_HEARTBEAT_MS": "500"}
"""Kafka's group timeouts are compose's; Tansu, standing in for Kafka, takes 20 s to form a group with them."""
SHORT_REQUESTS = {"OCHOTNICY_HTTP_HEADER_TIMEOUT_S": "2", "OCHOTNICY_HTTP_BODY_TIMEOUT_S": "2"}
CONSUMERS = ("funding-v2", "volunteers-v2", "reporting-v3")  # every group that reads ochotnicy.applications


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
        leftover = [f"{k}={v}" for k, v in mapped.items() if any(h in v for h in ("kafka:", "@postgres:", "-web:", "/var/"))]
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
        if value.startswith("/tmp/"):
            return str(self.root / container / value.removeprefix("/"))  # each container has a /tmp of its own
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


@pytest.fixture(scope="module")
def stack(databases, tmp_path_factory):
    if not databases.postgres:
        pytest.skip("production runs on PostgreSQL")
    root = tmp_path_factory.mktemp("production")
    with Tansu(port=free_port(), log=root / "tansu.log") as broker:
        stack = Stack(databases, broker, root)
        for step in ("migrate", "topics"):
            done = stack.run(step)
            assert done.returncode == 0, f"{step}: {done.stdout}{done.stderr}"
        stack.topics_before_start = set(_topics(broker))
        for container in CONTAINERS:
            stack.start(container)
        try:
            stack.wait_healthy()
            yield stack
        finally:
            stack.stop()


def _topics(broker: Tansu) -> list[str]:
    client = kafka.admin(config.load("cli", {"OCHOTNICY_KAFKA_BOOTSTRAP": broker.bootstrap}), "production-test")
    try:
        return [t for t in client.list_topics() if not t.startswith("__")]
    finally:
        client.close()


def _metrics(url: str) -> str:
    answer = requests.get(f"{url}/metrics", timeout=10)
    assert answer.status_code == 200
    return answer.text


def test_every_topic_exists_before_any_process_starts_and_every_process_migrates_nothing(stack):
    assert stack.topics_before_start == set(topics.every())
    for container in CONTAINERS:
        assert stack.environment(container)["OCHOTNICY_MIGRATE_AT_START"] == "false"
        assert "running upgrade" not in stack.log(container).lower()  # healthy all the same: the migrate step did it


def test_a_command_succeeds_and_its_event_is_published_and_applied_by_every_consumer(stack):
    token = issue(config.load("cli", environment("applications-web")), "operator", ["applications:write"],
                  datetime.timedelta(hours=1))
    answer = requests.post(f"{stack.web_url('applications')}/api/v1/institutions", timeout=10,
                           headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "production-1"},
                           json={"name": "Biblioteka produkcyjna", "kind": "library", "district": "Wola"})
    assert answer.status_code == 201, answer.text
    published = 'ochotnicy_events_published_total{service="applications",topic="ochotnicy.applications"} 1.0'
    wait_until(lambda: published in _metrics(stack.worker_url("applications")), what="the relay publishing it")
    consumed = 'ochotnicy_events_consumed_total{consumer="reporting-v3",topic="ochotnicy.applications"} 1.0'
    wait_until(lambda: consumed in _metrics(stack.worker_url("reporting")), what="reporting applying it")


def test_a_poison_message_is_parked_by_every_consumer_of_its_topic_and_ops_status_shows_it(stack):
    producer = KafkaProducer(bootstrap_servers=stack.broker.bootstrap)
    producer.send(topics.APPLICATIONS, key=b"poison", value=b"{not a cloudevent").get(timeout=10)
    producer.close()
    settings = config.load("cli", {"OCHOTNICY_KAFKA_BOOTSTRAP": stack.broker.bootstrap})
    dlq = topics.dead_letter(topics.APPLICATIONS)

    def every_one_parked():
        found = parked.read(settings, [dlq])
        return found if len(found) >= len(CONSUMERS) else None

    found = wait_until(every_one_parked, what="every consumer parking it")
    assert sorted(p.consumer for p in found) == sorted(CONSUMERS)
    assert all(p.key == b"poison" and "not a CloudEvents JSON document" in p.reason for p in found)
    # `docker compose run --rm migrate ochotnicy ops status`: every database and the broker in reach.
    status = stack.run("migrate", "ochotnicy", "ops", "status", "--json")
    assert status.returncode == 0, status.stdout + status.stderr
    report = json.loads(status.stdout)
    assert report["dead_letters"][dlq]["parked"] == len(CONSUMERS)
    assert report["services"]["applications"]["chain"]["head"] >= 1
    assert set(report["consumers"]) == set(CONSUMERS)
    assert "ochotnicy_events_dead_lettered_total{" in _metrics(stack.worker_url("reporting"))


def test_metrics_show_the_web_and_the_worker_figures(stack):
    web = _metrics(stack.web_url("applications"))
    assert 'ochotnicy_http_requests_total{endpoint="institutions.Institutions",method="POST",service="applications",status="201"}' in web
    assert "ochotnicy_events_appended_total" in web
    worker = _metrics(stack.worker_url("applications"))
    assert 'ochotnicy_outbox_pending{service="applications"} 0.0' in worker
    assert 'ochotnicy_outbox_oldest_age_seconds{service="applications"} 0.0' in worker
    assert 'ochotnicy_broker_up{service="applications"} 1.0' in worker
    # A consumer reports its lag every 5 s once it has its partitions.
    wait_until(lambda: "ochotnicy_consumer_lag{" in _metrics(stack.worker_url("funding")), timeout=30, what="funding's lag")
    for container in CONTAINERS:  # each made its own multi-process metrics directory at start
        assert (stack.root / container / "tmp" / "metrics").is_dir(), container


def test_no_process_wrote_to_a_topic_it_had_not_been_given(stack):
    assert set(_topics(stack.broker)) == set(topics.every())


def test_slow_clients_hold_no_thread_of_a_web_process_and_are_closed_in_time(stack):
    url = stack.web_url("reporting")
    threads = int(stack.environment("reporting-web")["OCHOTNICY_WEB_THREADS"]) * int(WEB_WORKERS)
    with SlowClients(url, heads=12, bodies=12) as slow:
        assert len(slow.sockets) > threads  # as many as would have held every thread of gunicorn's own worker
        assert health_answers_meanwhile(url, within=3.0) < 3.0
        closed = slow.closed_after(2.0 + 1.0 + 3.0)
        assert None not in closed and max(closed) <= 2.0 + 1.0 + 1.0  # the timeout, the event loop's second, a margin
        assert all(answer.startswith(b"HTTP/1.1 408 ") for answer in slow.answers)


def test_healthz_of_web_and_worker_reports_the_database_the_broker_and_the_outbox_then_the_broker_gone(stack):
    for url in [stack.web_url(s) for s in SERVICES] + [stack.worker_url(s) for s in SERVICES]:
        answer = requests.get(f"{url}/healthz", timeout=10)
        body = answer.json()
        assert answer.status_code == 200 and body["status"] == "ok", body
        assert body["database"] == "ok" and body["broker"] == "ok"
        assert body["outbox"]["status"] == "ok" and body["outbox"]["max_age_s"] == 60.0 and "oldest_age_s" in body["outbox"]
    stack.broker.stop()  # the last test: the broker goes away

    def degraded(url: str):
        answer = requests.get(f"{url}/healthz", timeout=10)
        return answer.json() if answer.status_code == 503 else None

    for url in (stack.worker_url("applications"), stack.web_url("funding")):  # a check is cached for up to 5 s
        body = wait_until(lambda url=url: degraded(url), timeout=30, what=f"{url} noticing")
        assert body["status"] == "degraded" and body["broker"] == "unavailable" and body["database"] == "ok"
