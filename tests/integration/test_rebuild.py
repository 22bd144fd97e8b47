"""A read model rebuilt in bulk equals the one the live consumer built from the same log, table by table, and the
live consumer started on it after the swap goes on exactly where the rebuild stopped."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from contracts import topics
from infra import db
from infra.audit import replay
from infra.eventstore.tables import processed_events
from infra.messaging import kafka
from infra.messaging.consumer import Consumer
from infra.rebuild import fresh, run
from ochotnicy.bench import log
from ochotnicy.cli.rebuild import rebuild
from services.reporting.spec import CONSUMER, SPEC
from tests.support.stack import SCRATCH, settings

pytestmark = pytest.mark.integration
EVENTS = 3000


def _claims(engine) -> set[tuple]:
    with engine.connect() as connection:
        return set(connection.execute(select(processed_events.c.consumer, processed_events.c.event_id, processed_events.c.topic,
                                             processed_events.c.partition, processed_events.c.offset)).all())


def _count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(processed_events)).scalar_one()


def _consume_until(service, cfg, count: int) -> None:
    """The reporting service's own consumer, as its worker runs it, until its claims hold `count` events."""
    consumer = Consumer(cfg, service.runtime.sessions, name=CONSUMER, topics=topics.ALL, projector=SPEC.consumed[0].projector,
                        registry=SPEC.registry)
    stop = threading.Event()
    worker = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    worker.start()
    deadline = time.monotonic() + 120
    try:
        while _count(service.runtime.engine) < count:
            assert time.monotonic() < deadline, f"the live consumer applied {_count(service.runtime.engine)} of {count}"
            time.sleep(0.2)
    finally:
        stop.set()
        worker.join(30)


def _committed(cfg) -> dict:
    admin = kafka.admin(cfg, "test-rebuild-offsets")
    try:
        found = admin.list_group_offsets(CONSUMER).get(CONSUMER, {})
    finally:
        admin.close()
    return {(tp.topic, tp.partition): meta.offset for tp, meta in found.items()}


def test_a_bulk_rebuild_equals_the_live_model_and_the_live_consumer_resumes_where_it_stopped(databases, own_broker, tmp_path):
    live_url = databases.create("rebuild_live")
    cfg = settings("reporting", live_url, own_broker.bootstrap)
    log.publish(cfg, EVENTS)
    producer = kafka.producer(cfg, "test-rebuild-again")  # the first 300 sent again, as a relay that died re-sends them
    for topic, key, value in log.messages(300):
        producer.send(topic, key=key.encode(), value=value)
    producer.flush()
    producer.close()
    service = SPEC.bootstrap(cfg, configure_logging=False)
    _consume_until(service, cfg, EVENTS)

    # Into a fresh database: the same rows, table by table, and the same claims, each event once at its first offset;
    # staged and merged in PostgreSQL, or folded into a scratch in one process or in two (partitions apart, merged).
    for way in ("staged", 2, 1):
        bulk = db.make_engine(databases.create(f"rebuild_fresh_{way}"))
        if way == "staged":
            built = fresh.build(SPEC, cfg, bulk, workers=2)
        else:
            built = run.fold_into_scratch(SPEC, cfg, service.runtime.engine, tmp_path / str(way), workers=way)
            fresh.into(built, SPEC, bulk)
        assert built.applied == EVENTS and built.duplicates == built.read - EVENTS > 0
        differences = replay.compare(SPEC.tables, service.runtime.engine, bulk)
        assert not differences, (way, [d.describe() for d in differences[:10]])
        assert _claims(bulk) == _claims(service.runtime.engine) and len(_claims(bulk)) == EVENTS

    # In place: swapped in while the workers are stopped; the group then stands at each partition's end.
    environ = {"OCHOTNICY_ENV": "local", "OCHOTNICY_DATA_DIR": str(SCRATCH), "OCHOTNICY_REPORTING_DATABASE_URL": live_url,
               "OCHOTNICY_KAFKA_BOOTSTRAP": own_broker.bootstrap, "OCHOTNICY_LOG_LEVEL": "WARNING"}
    assert rebuild("reporting", environ=environ) == 0
    differences = replay.compare(SPEC.tables, service.runtime.engine, bulk)
    assert not differences, [d.describe() for d in differences[:10]]
    assert _committed(cfg) == {(tp.topic, tp.partition): end for tp, end in built.ends[CONSUMER].items()}

    # Events written after the rebuild: the live consumer applies them, and only them, on the rebuilt model.
    log.publish(cfg, EVENTS + 200)  # the same log again, and 200 more: duplicates of all but the last 200
    _consume_until(service, cfg, EVENTS + 200)
    again = db.make_engine(databases.create("rebuild_again"))
    second = run.fold_into_scratch(SPEC, cfg, service.runtime.engine, tmp_path / "again")
    fresh.into(second, SPEC, again)
    differences = replay.compare(SPEC.tables, service.runtime.engine, again)
    assert not differences, [d.describe() for d in differences[:10]]
    assert _claims(again) == _claims(service.runtime.engine)

    # The command line into a fresh database: the same model again; a second time into it is refused.
    into = databases.create("rebuild_into")
    assert rebuild("reporting", into=into, environ=environ) == 0
    target = db.make_engine(into)
    assert not replay.compare(SPEC.tables, service.runtime.engine, target)
    assert rebuild("reporting", into=into, environ=environ) == 2
    for engine in (bulk, again, target, service.runtime.engine):
        engine.dispose()
