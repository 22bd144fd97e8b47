"""Reporting reads all three topics from the real broker: any order across topics, duplicates dropped."""

from __future__ import annotations

import uuid

from kafka import KafkaProducer
from sqlalchemy import func, select

from contracts import topics
from infra.eventstore.tables import processed_events
from infra.messaging import kafka
from services.reporting.readmodel.projection import projector
from services.reporting.spec import CONSUMER, SPEC
from tests.integration.reporting.conftest import Feeder
from tests.integration.reporting.scenario import Populated, populated, rewrite, topic_of
from tests.support.stack import settings
from tests.support.waiting import running, wait_until


def test_the_worker_runs_one_consumer_of_every_topic(databases):
    service = SPEC.bootstrap(settings("reporting", databases.create("rep_worker"), "127.0.0.1:1"), configure_logging=False)
    assert set(service.worker_loops()) == {f"consumer:{CONSUMER}"}  # no relay: reporting owns no events
    consumer = service.consumer()
    assert consumer.name == CONSUMER and sorted(consumer._topics) == sorted(topics.ALL)
    # Renamed with reporting_0004: a new group reads every topic from its start, the revocations the old one dropped too.
    assert CONSUMER != "reporting"


def test_events_of_all_topics_in_adverse_order_and_twice_give_the_summary_once(databases, broker):
    service = SPEC.bootstrap(settings("reporting", databases.create("rep_consumer"), broker.bootstrap), configure_logging=False)
    kafka.ensure_topics(service.runtime.settings, topics.ALL, "reporting-test")
    story = populated()
    # Volunteers and funding first, applications last (and newest first): the worst case for the read model.
    order = {topics.VOLUNTEERS: 0, topics.FUNDING: 1, topics.APPLICATIONS: 2}
    adverse = sorted(story.events, key=lambda e: (order[topic_of(e)], -e.time.timestamp()))
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
    for event in adverse + adverse[::2]:  # every other event published twice
        producer.send(topic_of(event), key=event.subject.encode(), value=rewrite(event))
    producer.flush()
    name = f"reporting-test-{uuid.uuid4().hex[:8]}"
    feeder = Feeder(service)

    def summary():
        found = feeder.summary(story.edition_id)
        return found and {k: found[k] for k in Populated.expected} == Populated.expected

    with running(service.runtime.consumer(name, topics.ALL, projector).run):
        wait_until(summary, timeout=90, what="the summary built from the broker")
        producer.send(topics.FUNDING, key=story.events[0].subject.encode(), value=rewrite(story.events[0]))
        producer.send(topics.APPLICATIONS, key=story.events[-1].subject.encode(), value=rewrite(story.events[-1]))
        producer.flush()
        ids = [e.id for e in story.events]

        def applied():
            with service.runtime.sessions() as session:
                return session.execute(
                    select(func.count()).select_from(processed_events)
                    .where(processed_events.c.consumer == name, processed_events.c.event_id.in_(ids))
                ).scalar() == len(ids)

        wait_until(applied, what="every event recorded once")
    producer.close()
    assert summary()
