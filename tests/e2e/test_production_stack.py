"""The production stack as docker-compose.yml runs it, on this machine (there is no Docker engine here).

Each container's command is run as compose gives it, with the environment compose gives it (parsed from the file,
the image's ENV beneath, the operator's secrets set), its hosts mapped to this machine: a scratch PostgreSQL
database per service for `postgres`, a Tansu broker started here for `kafka`, free local ports for the services'
ports, a directory per container for its /tmp, one per named volume (shared). First the one-off steps (migrate,
topics), then every web and worker.
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

import pytest
import requests
from kafka import KafkaProducer

from contracts import topics
from infra import config
from infra.messaging import parked
from infra.web.auth import issue
from ochotnicy.broker import Tansu
from tests.support.compose import environment
from tests.support.production import CONTAINERS, SERVICES, WEB_WORKERS, Stack, topic_names
from tests.support.slow_clients import SlowClients, health_answers_meanwhile
from tests.support.stack import free_port
from tests.support.waiting import wait_until

STALE = "counter_1.db"
"""A file of a process before a restart, which prometheus-client would add to every scrape."""
CONSUMERS = ("funding-v2", "volunteers-v2", "reporting-v3")  # every group that reads ochotnicy.applications


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
        stack.topics_before_start = set(topic_names(broker))
        for container in CONTAINERS:  # a container restarted keeps its /tmp: a dead process's figures are there
            (stack.root / container / "tmp" / "metrics").mkdir(parents=True)
            (stack.root / container / "tmp" / "metrics" / STALE).write_bytes(b"counted forever unless removed")
            stack.start(container)
        try:
            stack.wait_healthy()
            yield stack
        finally:
            stack.stop()


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
    for container in CONTAINERS:  # each made its own multi-process metrics directory at start, emptied
        assert (stack.root / container / "tmp" / "metrics").is_dir(), container
        assert not (stack.root / container / "tmp" / "metrics" / STALE).exists(), container


def test_no_process_wrote_to_a_topic_it_had_not_been_given(stack):
    assert set(topic_names(stack.broker)) == set(topics.every())


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
