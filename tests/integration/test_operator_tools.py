"""The operator's tools on a real broker and PostgreSQL: migrate, topics, ops status, dlq list, show and redrive."""

from __future__ import annotations

import io

import pytest
from kafka import KafkaProducer
from sqlalchemy import select

from contracts import topics
from contracts.topics import dead_letter
from infra import config, spec
from infra.eventstore.tables import processed_events
from infra.messaging.offsets import Offsets
from infra.projection import Projector
from infra.web.app import create_app
from ochotnicy import cli, dlq, ops
from services.funding import readmodel as funding_tables
from tests.support.apps import Client
from tests.support.waiting import running, wait_until

DLQ = dead_letter(topics.APPLICATIONS)
EDITION = {"programme": "partnerships", "name": "Partnerstwa – edycja operatorska", "year": 2026, "kind": "partnership",
           "grant_caps": [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"}],
           "opens_on": "2026-12-01", "closes_on": "2027-01-31"}


class Refusing(Projector):
    """A read model that refuses every event, as one with a bug would."""

    def apply_batch(self, session, events) -> None:
        raise ValueError("a bug in the projection")


@pytest.fixture
def environ(databases, own_broker, tmp_path, monkeypatch):
    """An environment naming a database of each service and the test's own broker; also set for the command line."""
    found = {"OCHOTNICY_ENV": "local", "OCHOTNICY_DATA_DIR": str(tmp_path), "OCHOTNICY_KAFKA_BOOTSTRAP": own_broker.bootstrap,
             "OCHOTNICY_TOPIC_PARTITIONS": "2", "OCHOTNICY_LOG_LEVEL": "WARNING"}
    for service in config.SERVICES:
        found[f"OCHOTNICY_{service.upper()}_DATABASE_URL"] = databases.create(f"ops_{service}")
    for name, value in found.items():
        monkeypatch.setenv(name, value)
    return found


def bootstrap(service: str, environ: dict):
    return spec.load(service).bootstrap(config.load(service, environ), configure_logging=False)


def test_migrate_and_topics_make_what_web_and_worker_need_and_are_safe_to_run_again(environ):
    out = io.StringIO()
    ops.migrate(config.SERVICES, environ, out)
    ops.migrate(config.SERVICES, environ, out)
    assert out.getvalue().count("schemat bazy jest najnowszy") == 8
    production_like = environ | {"OCHOTNICY_MIGRATE_AT_START": "false"}
    for service in config.SERVICES:
        bootstrap(service, production_like).runtime.engine.dispose()  # checks the schema, finds it the newest
    assert ops.create_topics(environ, out) == list(topics.every())
    assert ops.create_topics(environ, out) == []
    assert "ochotnicy.funding.dlq: już był (2 partycje, 1 kopia)" in out.getvalue()
    with Offsets(config.load("cli", environ)) as offsets:
        assert offsets.sizes(topics.every()) == dict.fromkeys(topics.every(), 0)


def test_a_worker_that_does_not_migrate_refuses_a_database_the_migrate_step_has_not_seen(environ):
    with pytest.raises(config.ConfigError, match="run `ochotnicy migrate` first"):
        bootstrap("funding", environ | {"OCHOTNICY_MIGRATE_AT_START": "false"})


def test_status_shows_parked_messages_and_a_redrive_applies_them_once_through_the_consumers_claims(environ, capsys):
    ops.migrate(config.SERVICES, environ, io.StringIO())
    ops.create_topics(environ, io.StringIO())
    applications, funding = bootstrap("applications", environ), bootstrap("funding", environ)
    answer = Client(create_app(applications), "applications:write").post("/api/v1/editions", json=EDITION)
    assert answer.status_code == 201, answer.get_json()
    edition_id = answer.get_json()["id"]
    producer = KafkaProducer(bootstrap_servers=environ["OCHOTNICY_KAFKA_BOOTSTRAP"])
    producer.send(topics.APPLICATIONS, key=b"garbage", value=b"{not json").get(timeout=10)
    producer.close()
    group = funding.spec.consumed[0]
    buggy = funding.runtime.consumer(group.name, group.topics, Refusing("buggy"))
    with Offsets(config.load("cli", environ)) as offsets, running(applications.runtime.relay().run, buggy.run):
        wait_until(lambda: offsets.sizes([DLQ])[DLQ] == 2, what="the event and the garbage parked")
        wait_until(lambda: offsets.lag(group.name, group.topics)[0].committed is not None, what="funding's offsets")

    found = ops.status(environ)
    assert ops.healthy(found)
    assert found["services"]["applications"]["outbox"] == {"pending": 0, "oldest_age_s": 0.0}
    assert found["services"]["applications"]["chain"]["head"] == 1
    assert "chain" not in found["services"]["reporting"]
    assert found["consumers"]["funding-v2"]["lag"] == 0
    assert found["consumers"]["reporting-v3"]["by_topic"][topics.APPLICATIONS] == 2  # it never ran: all is ahead of it
    assert found["dead_letters"][DLQ]["parked"] == 2 and found["dead_letters"][DLQ]["waiting"] == {"funding-v2": 1}
    assert found["dead_letters"][dead_letter(topics.FUNDING)]["parked"] == 0

    parked = dlq.read(environ=environ)
    states = sorted(state for _, state in parked)
    assert states == [dlq.UNREADABLE, dlq.WAITING]
    event = next(p for p, state in parked if state == dlq.WAITING)
    assert event.consumer == "funding-v2" and "the read model refused the event" in event.reason
    assert event.original_topic == topics.APPLICATIONS

    assert cli.main(["dlq", "show", DLQ, event.position]) == 0
    shown = capsys.readouterr().out
    assert '"type": "EditionOpened"' in shown and "a bug in the projection" in shown

    with Offsets(config.load("cli", environ)) as offsets:
        before = offsets.sizes(topics.every())
        assert cli.main(["dlq", "redrive", DLQ, "--all"]) == 1  # the garbage stays unreadable: not all went back
        after = offsets.sizes(topics.every())
    printed = capsys.readouterr().out
    assert f"{DLQ} {event.position} (funding-v2): zastosowana teraz" in printed
    assert "pominięta: nieczytelna" in printed
    assert after == before, "a re-drive publishes nothing, on any topic"
    with funding.runtime.engine.connect() as connection:
        assert connection.execute(select(funding_tables.editions.c.id)).scalars().all() == [edition_id]
        claim = connection.execute(select(processed_events).where(processed_events.c.event_id == event.event_id)).one()
    assert (claim.consumer, claim.topic, claim.offset) == ("funding-v2", topics.APPLICATIONS, event.original_offset)

    assert dlq.redrive(DLQ, [event.position], environ=environ) == [(event, dlq.APPLIED)]  # nothing left to do
    real = funding.consumer()
    assert real.redrive(event.as_read()) is False  # even forced: its claim is taken, so nothing applies twice
    with funding.runtime.engine.connect() as connection:
        assert connection.execute(select(funding_tables.editions.c.id)).scalars().all() == [edition_id]

    assert cli.main(["ops", "status"]) == 0
    status = capsys.readouterr().out
    assert f"{DLQ:<30} 2 odłożone, 0 czeka  [funding-v2 2]" in status
    assert "funding-v2       (funding): 0" in status
    for service in (applications, funding):
        service.runtime.engine.dispose()
