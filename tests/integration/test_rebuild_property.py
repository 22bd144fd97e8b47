"""Property: any log a consumer may meet (events spread over partitions by key, read interleaved across partitions,
some sent again) gives the same read model by bulk rebuild as by the live consumer, table by table and claim by claim."""

from __future__ import annotations

import collections
import dataclasses
import functools
import shutil
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from contracts import envelope
from infra import db
from infra.audit import replay
from infra.db import migrate
from infra.eventstore.tables import processed_events
from infra.messaging.consumer import Consumer
from infra.rebuild import fold, parallel
from infra.rebuild.sources import Read
from infra.spec import ServiceSpec
from tests.integration.reporting import grants_story, library_story
from tests.integration.reporting.scenario import populated, rewrite, topic_of
from tests.support.stack import settings as service_settings

pytestmark = pytest.mark.integration


@dataclasses.dataclass(frozen=True)
class Message:
    """What the consumer reads of a Kafka record."""

    topic: str
    partition: int
    offset: int
    value: bytes
    headers: tuple = ()


def _spec(service: str) -> ServiceSpec:
    from infra import spec

    return spec.load(service)


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """A migrated empty SQLite database per service, copied for every example (migrating each would take longest)."""
    folder = tmp_path_factory.mktemp("templates")
    for service in ("reporting", "volunteers", "funding"):
        engine = db.make_engine(f"sqlite:///{folder}/{service}.sqlite3")
        migrate.upgrade(engine, _spec(service).migrations)
        engine.dispose()
    return folder


@functools.cache
def _stories() -> tuple:
    """The reporting tests' stories, made once: their ids are random, and every example must draw from the same log."""
    return tuple(populated().events + grants_story.story().events + library_story.story().events)


def _log(service: str, partitions: int, data) -> dict[tuple[str, int], list[Message]]:
    """The stories' events of the service's topics, each on the partition of its key, some sent again later there."""
    consumer = _spec(service).consumed[0]
    events = [e for e in _stories() if topic_of(e) in consumer.topics]
    logs: dict[tuple[str, int], list[bytes]] = collections.defaultdict(list)
    for event in events:
        logs[(topic_of(event), zlib.crc32(event.subject.encode()) % partitions)].append(rewrite(event))
    for place, values in logs.items():
        for _ in range(data.draw(st.integers(0, 3), label=f"again on {place}")):  # a relay re-sending what it sent
            first = data.draw(st.integers(0, len(values) - 1))
            values.insert(data.draw(st.integers(first + 1, len(values))), values[first])
    return {place: [Message(place[0], place[1], offset, value) for offset, value in enumerate(values)]
            for place, values in logs.items()}


def _interleaved(logs: dict[tuple[str, int], list[Message]], data) -> list[Message]:
    """The order a live consumer may read them in: each partition in order, partitions in any order among each other."""
    read = dict.fromkeys(logs, 0)
    order: list[Message] = []
    while read:
        place = data.draw(st.sampled_from(sorted(read)))
        start, taken = read[place], data.draw(st.integers(1, 6))
        order += logs[place][start:start + taken]
        read[place] = start + taken
        if read[place] >= len(logs[place]):
            del read[place]
    return order


def _claims(engine) -> set[tuple]:
    with engine.connect() as connection:
        return set(connection.execute(select(processed_events.c.event_id, processed_events.c.topic,
                                             processed_events.c.partition, processed_events.c.offset)).all())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(service=st.sampled_from(["reporting", "volunteers", "funding"]), partitions=st.integers(1, 4), data=st.data())
def test_bulk_rebuild_and_live_consumer_build_the_same_model_from_any_log(templates, tmp_path_factory, service, partitions,
                                                                         data):
    spec, folder = _spec(service), tmp_path_factory.mktemp("example")
    consumer = spec.consumed[0]
    logs = _log(service, partitions, data)

    for name in ("live", "bulk", "part-1"):
        shutil.copy(templates / f"{service}.sqlite3", folder / f"{name}.sqlite3")
    live = db.make_engine(f"sqlite:///{folder}/live.sqlite3")
    running = Consumer(service_settings(service, str(live.url), "127.0.0.1:1"), db.session_factory(live), name=consumer.name,
                       topics=consumer.topics, projector=consumer.projector, registry=spec.registry)
    read = _interleaved(logs, data)
    while read:  # batches of any size, as polls return them
        size = data.draw(st.integers(1, 40), label="batch")
        running.process(read[:size])
        read = read[size:]

    def reads(places) -> list[Read]:
        return [Read(m.topic, m.partition, m.offset, envelope.read(m.value, spec.registry))
                for place in sorted(places) for m in logs[place]]

    bulk = db.make_engine(f"sqlite:///{folder}/bulk.sqlite3")
    fold.Fold(bulk, chunk=data.draw(st.integers(1, 50), label="chunk")).consumed(consumer, reads(logs), lambda n: None)
    fold.finish(bulk, [consumer.projector])
    differences = replay.compare(spec.tables, live, bulk)
    assert not differences, [d.describe() for d in differences[:5]]
    assert _claims(bulk) == _claims(live)

    if consumer.projector.merges:  # folded apart, one share of the partitions each, then merged
        places = sorted(logs)
        cut = data.draw(st.integers(0, len(places)), label="cut")
        apart = [db.make_engine(f"sqlite:///{folder}/{name}.sqlite3") for name in ("part-0", "part-1")]
        shutil.copy(templates / f"{service}.sqlite3", folder / "part-0.sqlite3")
        for engine, share in zip(apart, (places[:cut], places[cut:]), strict=True):
            fold.Fold(engine).consumed(consumer, reads(share), lambda n: None)
        parallel.merge_scratch(apart[0], folder / "part-1.sqlite3", list(spec.tables.sorted_tables), consumer.projector.earliest)
        fold.finish(apart[0], [consumer.projector])
        differences = replay.compare(spec.tables, live, apart[0])
        assert not differences, [d.describe() for d in differences[:5]]
        assert {c[0] for c in _claims(apart[0])} == {c[0] for c in _claims(live)}
        for engine in apart:
            engine.dispose()
    live.dispose()
    bulk.dispose()
