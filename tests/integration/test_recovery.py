"""A store restored behind its topic: the guard holds it back, recover writes back what the topic holds, and a store
that took commands before its recovery is refused, with nothing written (real pg_dump, PostgreSQL and Tansu)."""

from __future__ import annotations

import io
import time
import uuid

import pytest
from sqlalchemy import func, select

from contracts import topics
from infra import config
from infra.eventstore import chain
from infra.eventstore.tables import events, outbox, processed_events
from infra.messaging import kafka
from infra.recovery import guard
from infra.recovery import log as topic_log
from ochotnicy import recovery
from services.applications import commands
from services.applications.spec import SPEC
from services.funding.spec import SPEC as FUNDING
from services.reporting.spec import SPEC as REPORTING
from tests.support import backup
from tests.support.stack import settings
from tests.support.waiting import running, wait_until


@pytest.fixture
def world(databases, own_broker, tmp_path):
    """An applications store on PostgreSQL publishing to its own broker, and its environment for the command line."""
    if not databases.postgres:
        pytest.skip("pg_dump and pg_restore need PostgreSQL")
    url = databases.create("restore")
    environ = {"OCHOTNICY_ENV": "local", "OCHOTNICY_APPLICATIONS_DATABASE_URL": url, "OCHOTNICY_DATA_DIR": str(tmp_path),
               "OCHOTNICY_KAFKA_BOOTSTRAP": own_broker.bootstrap, "OCHOTNICY_TOPIC_PARTITIONS": "2"}
    return url, environ


def start(environ):
    return SPEC.bootstrap(settings("applications", environ["OCHOTNICY_APPLICATIONS_DATABASE_URL"],
                                   environ["OCHOTNICY_KAFKA_BOOTSTRAP"], OCHOTNICY_TOPIC_PARTITIONS="2"),
                          configure_logging=False)


def register(service, n: int) -> list[str]:
    return [service.bus.handle(commands.RegisterInstitution(str(uuid.uuid4()), f"Biblioteka {uuid.uuid4().hex[:8]}",
                                                            "library", "Wola", False)) for _ in range(n)]


def published(service) -> bool:
    with service.runtime.engine.connect() as connection:
        waiting = connection.execute(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))).scalar()
        unsealed = connection.execute(select(func.count()).select_from(events).where(events.c.chain_seq.is_(None))).scalar()
    return waiting == 0 and unsealed == 0


def store(service) -> dict[str, tuple]:
    with service.runtime.engine.connect() as connection:
        rows = connection.execute(select(events.c.event_id, events.c.aggregate_id, events.c.version, events.c.chain_seq))
        return {r.event_id: (r.aggregate_id, r.version, r.chain_seq) for r in rows}


def held_back(service, aggregate_id: str) -> bool:
    """Whether the aggregate's event is still unsealed two seconds on (a relay not held back seals within milliseconds)."""
    time.sleep(2.0)
    return all(seq is None for aggregate, _, seq in store(service).values() if aggregate == aggregate_id)


def on_topic(environ, log_id: str) -> dict[str, tuple]:
    found = topic_log.read(config.load("applications", environ), topics.APPLICATIONS, log_id, SPEC.registry, after=0)
    return {p.envelope.id: (p.envelope.subject, p.envelope.sequence, p.chain_seq) for p in found.events}


def test_a_restored_store_is_held_back_until_recover_brings_back_what_the_topic_holds(world, tmp_path):
    url, environ = world
    service = start(environ)
    with running(service.runtime.relay().run):
        early = register(service, 4)
        wait_until(lambda: published(service), what="the first events published")
        dump = backup.dump(url, tmp_path / "applications.dump")
        late = register(service, 3)
        service.bus.handle(commands.ChangeInstitutionDetails(early[0], district="Ursus"))  # an older aggregate's version 2
        wait_until(lambda: published(service), what="the events after the backup published")
    before = store(service)
    service.runtime.engine.dispose()

    backup.restore(url, dump)
    with pytest.raises(guard.StoreBehind):  # what a web or worker process does at start
        SPEC.bootstrap(start(environ).runtime.settings, configure_logging=False, guard=True)
    restored = start(environ)
    with restored.runtime.engine.connect() as connection:
        log_id = chain.log_id(connection)
        with pytest.raises(guard.StoreBehind, match="ochotnicy recover applications"):
            guard.refuse_if_behind(restored.runtime.settings, connection)
    assert len(store(restored)) == 4
    with running(restored.runtime.relay().run):
        [waiting] = register(restored, 1)  # a command the store took meanwhile: a new aggregate, its number not yet given
        assert held_back(restored, waiting), "the relay sealed an event on a store behind its topic"

    out = io.StringIO()
    assert recovery.check("applications", environ, out) == recovery.NEEDED, out.getvalue()
    assert "z tematu do bazy: 4 zdarzenia (InstitutionDetailsChanged 1, InstitutionRegistered 3)" in out.getvalue()
    assert recovery.recover("applications", environ, out) == 0, out.getvalue()
    assert recovery.check("applications", environ, out) == recovery.NOTHING, out.getvalue()

    recovered = store(restored)
    assert {e: row for e, row in recovered.items() if e in before} == before  # ids, versions and chain sequences as they were
    with restored.runtime.engine.connect() as connection:
        report = chain.verify(connection)
        assert report.ok and report.sealed == 8 and report.unsealed == 1 and report.lost == 0
    with running(restored.runtime.relay().run):
        wait_until(lambda: published(restored), what="the command taken meanwhile published after the recovery")
        register(restored, 1)
        wait_until(lambda: published(restored), what="a new command published")
    final, seen = store(restored), on_topic(environ, log_id)
    assert final == seen, "the store and its topic differ"
    assert sorted(seq for _, _, seq in final.values()) == list(range(1, 11))  # no sequence given twice, none skipped
    assert all(event in final for event in before) and set(late) <= {row[0] for row in final.values()}


def test_a_database_restored_under_a_running_relay_is_held_back_too(world, tmp_path):
    url, environ = world
    service = start(environ)
    with running(service.runtime.relay().run):
        register(service, 2)
        wait_until(lambda: published(service), what="the first events published")
        dump = backup.dump(url, tmp_path / "applications.dump")
        register(service, 2)
        wait_until(lambda: published(service), what="the events after the backup published")
        backup.restore(url, dump)  # the relay goes on running: it loses its connections and leads again
        restored = start(environ)
        [waiting] = register(restored, 1)
        assert held_back(restored, waiting), "the relay sealed an event on a store restored under it"
        assert recovery.recover("applications", environ, io.StringIO()) == recovery.IMPOSSIBLE  # its leader runs
    assert recovery.recover("applications", environ, io.StringIO()) == 0
    with running(restored.runtime.relay().run):
        wait_until(lambda: published(restored), what="the waiting event published after the recovery")
    assert sorted(seq for _, _, seq in store(restored).values()) == [1, 2, 3, 4, 5]


def test_a_restored_store_that_took_commands_before_its_recovery_is_refused_and_nothing_is_written(world, tmp_path):
    url, environ = world
    service = start(environ)
    with running(service.runtime.relay().run):
        [institution] = register(service, 1)
        wait_until(lambda: published(service), what="the first event published")
        dump = backup.dump(url, tmp_path / "applications.dump")
        service.bus.handle(commands.ChangeInstitutionDetails(institution, district="Ursus"))
        wait_until(lambda: published(service), what="the correction published")
    service.runtime.engine.dispose()
    backup.restore(url, dump)
    restored = start(environ)
    restored.bus.handle(commands.ChangeInstitutionDetails(institution, district="Bemowo"))  # version 2 again, on a stale store
    before = store(restored)
    out = io.StringIO()
    assert recovery.check("applications", environ, out) == recovery.IMPOSSIBLE
    assert recovery.recover("applications", environ, out) == recovery.IMPOSSIBLE
    assert f"KONFLIKT: {institution}: the store holds version 2 under another event" in out.getvalue()
    assert "NIE ODTWORZONO" in out.getvalue() and store(restored) == before


def test_recover_refuses_to_set_back_a_consumer_group_whose_workers_still_run(databases, own_broker, tmp_path):
    if not databases.postgres:
        pytest.skip("the funding service's claims are checked on PostgreSQL here")
    environ = {"OCHOTNICY_ENV": "local", "OCHOTNICY_FUNDING_DATABASE_URL": databases.create("restore_funding"),
               "OCHOTNICY_DATA_DIR": str(tmp_path), "OCHOTNICY_KAFKA_BOOTSTRAP": own_broker.bootstrap,
               "OCHOTNICY_TOPIC_PARTITIONS": "2"}
    funding = FUNDING.bootstrap(config.load("funding", environ), configure_logging=False)
    kafka.ensure_topics(funding.runtime.settings, [topics.APPLICATIONS, topics.FUNDING], "test")
    member = funding.consumer()
    with running(member.run):
        wait_until(lambda: member._consumer is not None and member._consumer.assignment(), timeout=60,
                   what="the consumer to get its partitions")
        out = io.StringIO()
        assert recovery.recover("funding", environ, out) == recovery.IMPOSSIBLE
    assert "NIE ODTWORZONO: funding-v2" in out.getvalue() and "UnknownMemberIdError" in out.getvalue()



def test_a_read_model_restored_from_a_dump_reads_again_what_its_restored_claims_lack(world, databases, tmp_path):
    _url, environ = world
    reporting_url = databases.create("restore_reporting")
    environ = environ | {"OCHOTNICY_REPORTING_DATABASE_URL": reporting_url}
    applications = start(environ)
    reporting = REPORTING.bootstrap(config.load("reporting", environ), configure_logging=False)

    def applied() -> int:
        with reporting.runtime.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(processed_events)).scalar()

    with running(applications.runtime.relay().run):
        with running(reporting.consumer().run):
            register(applications, 1)
            wait_until(lambda: applied() == 1, timeout=60, what="reporting to apply the first event")
            dump = backup.dump(reporting_url, tmp_path / "reporting.dump")
            register(applications, 2)
            wait_until(lambda: applied() == 3, timeout=60, what="reporting to apply the others")
        reporting.runtime.engine.dispose()
        backup.restore(reporting_url, dump)
        assert applied() == 1
        out = io.StringIO()
        assert recovery.check("reporting", environ, out) == recovery.NEEDED, out.getvalue()
        assert recovery.recover("reporting", environ, out) == 0, out.getvalue()
        assert "konsument reporting-v3: cofnięty" in out.getvalue()
        with running(reporting.consumer().run):
            wait_until(lambda: applied() == 3, timeout=60, what="reporting to read again what its restored claims lack")
