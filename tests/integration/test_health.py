"""/healthz of web and worker: the database, the broker and the outbox's age, 503 when one of them is wrong."""

from __future__ import annotations

import dataclasses
import datetime
import threading
import uuid

import pytest
import requests
from sqlalchemy import update

from infra import db
from infra.eventstore.tables import events
from infra.health import Health
from infra.probe import Probe
from ochotnicy.broker import wait_for_port
from tests.support.apps import Client, service_app
from tests.support.stack import free_port

INSTITUTION = {"kind": "library", "district": "Wola"}


@pytest.fixture
def applications(databases, broker):
    service, app = service_app("applications", databases.create("health"), broker.bootstrap)
    yield service, Client(app, "applications:write")
    service.runtime.engine.dispose()


def register(client: Client) -> None:
    answer = client.post("/api/v1/institutions", json=INSTITUTION | {"name": f"Biblioteka {uuid.uuid4().hex[:8]}"})
    assert answer.status_code == 201, answer.get_json()


def test_all_well_is_200_with_the_database_the_broker_and_the_outbox(applications):
    _, client = applications
    answer = client.anonymous().get("/healthz")
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"status": "ok", "service": "applications", "database": "ok", "broker": "ok",
                                 "outbox": {"status": "ok", "pending": 0, "oldest_age_s": 0.0, "max_age_s": 60.0}}


def test_an_event_unpublished_for_longer_than_the_limit_is_503_degraded_and_the_gauges_say_so(applications):
    service, client = applications
    register(client)  # no relay runs here: its event stays in the outbox
    register(client)
    with service.runtime.engine.begin() as connection:
        connection.execute(update(events).values(occurred_at=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)))
    body, status = service.runtime.health()
    assert status == 503 and body["status"] == "degraded" and body["broker"] == "ok"
    assert body["outbox"]["status"] == "stale" and body["outbox"]["pending"] == 2
    assert 7100 < body["outbox"]["oldest_age_s"] < 7300
    text = client.anonymous().get("/metrics").get_data(as_text=True)
    assert 'ochotnicy_outbox_pending{service="applications"} 2.0' in text
    assert 'ochotnicy_outbox_oldest_age_seconds{service="applications"} 7' in text
    longer = Health(dataclasses.replace(service.runtime.settings, outbox_max_age_s=3 * 3600), service.runtime.engine)
    assert longer.check()[1] == 200


def test_no_database_is_503_failing_and_no_broker_503_degraded(applications):
    service, _ = applications
    settings = service.runtime.settings
    gone = db.make_engine(settings.database_url.rsplit("/", 1)[0] + "/och_no_such_database")
    body, status = Health(settings, gone).check()
    assert status == 503 and body["status"] == "failing" and body["database"] == "unavailable"
    assert body["outbox"]["status"] == "unknown"
    body, status = Health(dataclasses.replace(settings, kafka_bootstrap="127.0.0.1:1"), service.runtime.engine).check()
    assert status == 503 and body["status"] == "degraded" and body["broker"] == "unavailable" and body["database"] == "ok"


def test_a_worker_serves_health_and_metrics_on_its_own_port_until_it_stops(applications):
    service, client = applications
    register(client)
    settings = dataclasses.replace(service.runtime.settings, worker_port=free_port())
    stop = threading.Event()
    serving = threading.Thread(target=Probe(settings, service.runtime.health).run, args=(stop,), daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{settings.worker_port}"
    try:
        wait_for_port("127.0.0.1", settings.worker_port)
        health = requests.get(f"{url}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["outbox"]["pending"] == 1
        metrics = requests.get(f"{url}/metrics", timeout=10)
        assert metrics.status_code == 200 and metrics.headers["Content-Type"].startswith("text/plain")
        assert 'ochotnicy_outbox_pending{service="applications"} 1.0' in metrics.text
        assert 'ochotnicy_broker_up{service="applications"} 1.0' in metrics.text
        assert requests.get(f"{url}/nothing", timeout=10).status_code == 404
    finally:
        stop.set()
        serving.join(timeout=10)
    assert not serving.is_alive()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/healthz", timeout=2)
