"""The backbone against the real broker and database: nothing lost, nothing applied twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from sqlalchemy import func, select

from contracts import topics
from contracts.topics import dead_letter
from infra import context
from infra.eventstore.tables import outbox, processed_events
from infra.messaging import kafka
from services.applications import commands
from services.applications.domain.institutions import Institution
from services.applications.spec import SPEC
from tests.support import counting
from tests.support.stack import settings
from tests.support.waiting import running, wait_until


def register(source, n: int) -> list[str]:
    service, prefix = source
    return [
        service.bus.handle(
            commands.RegisterInstitution(str(uuid.uuid4()), f"{prefix} {uuid.uuid4().hex[:6]}", "library", "Wola", False)
        )
        for _ in range(n)
    ]


@pytest.fixture
def make_source(databases):
    """An applications service, and the name prefix that marks its institutions (tests share a broker)."""

    def make(bootstrap_servers: str):
        service = SPEC.bootstrap(settings("applications", databases.create("app"), bootstrap_servers), configure_logging=False)
        return service, f"T{uuid.uuid4().hex[:8]}"

    return make


def relay(source):
    return source[0].runtime.relay().run


def counting_consumer(target, bootstrap_servers, source, **options):
    return counting.consumer(target, bootstrap_servers, source[1], **options).run


def topic_messages(bootstrap_servers: str, topic: str) -> list:
    reader = KafkaConsumer(
        topic, bootstrap_servers=bootstrap_servers, auto_offset_reset="earliest", consumer_timeout_ms=3000,
        enable_auto_commit=False, group_id=None,
    )
    try:
        return list(reader)
    finally:
        reader.close()


def test_an_event_appended_by_one_service_reaches_another_services_read_model(make_source, databases, broker):
    source = make_source(broker.bootstrap)
    target = databases.create("target")
    engine = counting.prepare(target)
    with running(relay(source), counting_consumer(target, broker.bootstrap, source)):
        [institution_id] = register(source, 1)
        wait_until(lambda: counting.totals(engine) == (1, 1), what="the event in the other read model")
    with engine.connect() as connection:
        assert connection.execute(select(counting.seen.c.subject)).scalar() == institution_id
    [message] = [m for m in topic_messages(broker.bootstrap, topics.APPLICATIONS) if institution_id.encode() in m.value]
    # The CloudEvents Kafka binding, structured mode: other departments' SDKs read the event's form from this header.
    assert dict(message.headers)["content-type"] == b"application/cloudevents+json; charset=UTF-8"


def test_the_group_commits_the_offsets_of_what_it_applied(make_source, databases, broker):
    source = make_source(broker.bootstrap)
    target = databases.create("target")
    engine = counting.prepare(target)
    group = f"counting-{source[1]}"

    def covered() -> bool:
        with engine.connect() as connection:
            applied = connection.execute(
                select(processed_events.c.partition, func.max(processed_events.c.offset)).group_by(processed_events.c.partition)
            ).all()
        admin = kafka.admin(settings("funding", target, broker.bootstrap), "offsets-check")
        try:
            committed = admin.list_group_offsets(group).get(group, {})
        finally:
            admin.close()
        return bool(applied) and all(
            (tp := TopicPartition(topics.APPLICATIONS, partition)) in committed and committed[tp].offset > last
            for partition, last in applied
        )

    with running(relay(source), counting_consumer(target, broker.bootstrap, source)):
        register(source, 12)
        wait_until(lambda: counting.totals(engine) == (12, 12), what="the events applied")
        wait_until(covered, what="the group's committed offsets past every applied event")


def test_commands_are_accepted_while_the_broker_is_down_and_nothing_is_lost(make_source, databases, own_broker):
    source = make_source(own_broker.bootstrap)
    target = databases.create("target")
    engine = counting.prepare(target)
    with running(relay(source), counting_consumer(target, own_broker.bootstrap, source)):
        register(source, 5)
        wait_until(lambda: counting.totals(engine) == (5, 5), what="the first events")
        own_broker.stop()
        register(source, 20)  # accepted: only the database is needed
        time.sleep(3)
        own_broker.start()  # empty: every topic was lost with the old process
        register(source, 5)
        wait_until(lambda: counting.totals(engine) == (30, 30), timeout=90, what="all 30 events exactly once")
    assert len(topic_messages(own_broker.bootstrap, topics.APPLICATIONS)) >= 30


def test_a_broker_restarted_empty_gets_the_log_again_and_read_models_do_not_change(make_source, databases, own_broker):
    source = make_source(own_broker.bootstrap)
    target = databases.create("target")
    engine = counting.prepare(target)
    with running(relay(source), counting_consumer(target, own_broker.bootstrap, source)):
        register(source, 25)
        wait_until(lambda: counting.totals(engine) == (25, 25), what="the events before the restart")
        own_broker.restart()
        wait_until(
            lambda: len({m.value for m in topic_messages(own_broker.bootstrap, topics.APPLICATIONS)}) >= 25,
            timeout=90,
            what="the relay to re-publish the log to the empty broker",
        )
        register(source, 5)
        wait_until(lambda: counting.totals(engine) == (30, 30), timeout=90, what="new events after the restart")
        time.sleep(2)
    assert counting.totals(engine) == (30, 30)


def test_a_consumer_killed_mid_batch_applies_nothing_twice(make_source, databases, broker):
    source = make_source(broker.bootstrap)
    target = databases.create("target")
    engine = counting.prepare(target)

    def spawn():
        return subprocess.Popen(
            [sys.executable, "-m", "tests.support.counting", target, broker.bootstrap, source[1], "0.02"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    with running(relay(source)):
        register(source, 120)
        process = spawn()
        wait_until(lambda: counting.totals(engine)[0] >= 20, what="the consumer to start applying")
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        killed_at = counting.totals(engine)
        assert killed_at[0] < 120, "the kill came too late to land mid-stream"
        process = spawn()
        try:
            wait_until(lambda: counting.totals(engine)[0] == 120, timeout=120, what="all events after the restart")
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert counting.totals(engine) == (120, 120)


def test_a_garbage_message_is_parked_on_the_dead_letter_topic_and_later_events_still_apply(make_source, databases, broker):
    source = make_source(broker.bootstrap)
    target = databases.create("target")
    engine = counting.prepare(target)
    kafka.ensure_topics(source[0].runtime.settings, [topics.APPLICATIONS, dead_letter(topics.APPLICATIONS)], "test")
    with running(relay(source), counting_consumer(target, broker.bootstrap, source)):
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
        marker = uuid.uuid4().hex.encode()
        producer.send(topics.APPLICATIONS, key=b"garbage", value=b"{not json " + marker).get(timeout=10)
        producer.close()
        register(source, 3)
        wait_until(lambda: counting.totals(engine)[0] >= 3, what="events after the garbage")
    parked = [m for m in topic_messages(broker.bootstrap, dead_letter(topics.APPLICATIONS)) if marker in m.value]
    assert len(parked) == 1
    headers = dict(parked[0].headers)
    assert b"not a CloudEvents JSON document" in headers["reason"]
    assert headers["original_topic"] == topics.APPLICATIONS.encode()


def test_an_outbox_row_that_commits_late_is_still_published(make_source, databases, broker):
    source = make_source(broker.bootstrap)
    service = source[0]
    if service.runtime.engine.dialect.name != "postgresql":
        pytest.skip("needs concurrent writers")
    target = databases.create("target")
    engine = counting.prepare(target)
    with running(relay(source), counting_consumer(target, broker.bootstrap, source)):
        late = service.runtime.uow()
        with late:
            late.aggregates.add(Institution.register(str(uuid.uuid4()), f"{source[1]} late", "school", "Ursus", False))
            # Everything of commit() except the COMMIT itself, so the row holds an early id, uncommitted.
            collected = late.aggregates.collect(context.current())
            late.store.append([record for record, _ in collected])
            register(source, 10)  # later ids, committed first
            wait_until(lambda: counting.totals(engine)[0] == 10, what="the early commits")
            late.session.commit()
        wait_until(lambda: counting.totals(engine)[0] == 11, what="the late commit")
    with service.runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))).scalar() == 0


def test_the_correlation_id_of_a_command_is_carried_into_the_consumers_log(make_source, databases, broker):
    import logging

    source = make_source(broker.bootstrap)
    target = databases.create("target")
    engine = counting.prepare(target)
    seen: list[tuple[str, str | None]] = []

    class Remember(logging.Handler):
        def emit(self, record):
            seen.append((record.getMessage(), context.current().correlation_id))

    handler = Remember(level=logging.DEBUG)
    consumer_log = logging.getLogger("infra.messaging.consumer")
    consumer_log.addHandler(handler)
    consumer_log.setLevel(logging.DEBUG)
    try:
        with running(relay(source), counting_consumer(target, broker.bootstrap, source)):
            with context.acting("anna.nowak", "corr-from-the-http-request"):
                [institution_id] = register(source, 1)
            wait_until(lambda: counting.totals(engine) == (1, 1), what="the event applied")
    finally:
        consumer_log.removeHandler(handler)
        consumer_log.setLevel(logging.NOTSET)
    assert any(institution_id in message and correlation == "corr-from-the-http-request" for message, correlation in seen)


def test_a_consumer_stopped_while_joining_its_group_does_not_stall_the_next_one(make_source, databases, broker):
    # On Tansu a member that left between joining and receiving its partitions stalled the group for minutes.
    source = make_source(broker.bootstrap)
    target = databases.create("target")
    engine = counting.prepare(target)
    with running(relay(source)):
        register(source, 5)
        joining = counting.consumer(target, broker.bootstrap, source[1])
        with running(joining.run):
            time.sleep(1.0)  # the group takes seconds to form: this member is stopped while still joining
        with running(counting_consumer(target, broker.bootstrap, source)):
            wait_until(lambda: counting.totals(engine) == (5, 5), timeout=45, what="the next member to apply the events")

