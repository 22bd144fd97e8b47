"""Point-in-time recovery as docs/operations.md has it, on a private PostgreSQL 15 cluster archiving its WAL: a base
backup, events before and after a chosen moment, the server restored to that moment. The store ends exactly there,
its chain holds, and `ochotnicy restore-check` sees on the topic the events the recovery left out."""

from __future__ import annotations

import io
import time

import pytest

from infra import db
from infra.eventstore import chain
from ochotnicy import recovery
from services.applications.spec import SPEC
from tests.integration.test_recovery import published, register, store
from tests.support import pitr
from tests.support.stack import free_port, settings
from tests.support.waiting import running, wait_until

pytestmark = pytest.mark.skipif(not pitr.available(), reason=f"PostgreSQL 15's {', '.join(pitr.TOOLS)} are not in {pitr.BIN}")


@pytest.fixture
def cluster():
    where = pitr.workspace()
    found = pitr.Cluster.create(where / "data", where / "wal-archive", free_port()).start()
    yield found
    found.remove()


def test_a_server_restored_to_a_moment_holds_the_events_before_it_and_none_after(cluster, own_broker, tmp_path):
    cluster.sql("CREATE DATABASE applications")
    environ = {"OCHOTNICY_ENV": "local", "OCHOTNICY_APPLICATIONS_DATABASE_URL": cluster.url("applications"),
               "OCHOTNICY_KAFKA_BOOTSTRAP": own_broker.bootstrap, "OCHOTNICY_TOPIC_PARTITIONS": "2",
               "OCHOTNICY_DATA_DIR": str(tmp_path)}
    service = SPEC.bootstrap(settings("applications", cluster.url("applications"), own_broker.bootstrap,
                                      OCHOTNICY_TOPIC_PARTITIONS="2"), configure_logging=False)
    with running(service.runtime.relay().run):
        register(service, 2)
        wait_until(lambda: published(service), what="the first events published")
        base = cluster.base_backup(cluster.data.parent / "base")
        register(service, 2)
        wait_until(lambda: published(service), what="the events after the base backup published")
        kept = store(service)
        (target,) = cluster.sql("SELECT clock_timestamp()::text")  # the moment to restore to (the server's clock)
        time.sleep(0.5)
        lost = register(service, 2)
        wait_until(lambda: published(service), what="the events after the moment published")
    cluster.archive_all()
    service.runtime.engine.dispose()
    cluster.stop()

    restored = cluster.restore(base, target, cluster.data.parent / "restored")
    engine = db.make_engine(restored.url("applications"))
    try:
        with engine.connect() as connection:
            report, head = chain.verify(connection), chain.head(connection)
        assert report.ok and report.sealed == 4 and report.unsealed == 0 and report.lost == 0
        assert head[0] == 4
    finally:
        engine.dispose()
    again = SPEC.bootstrap(settings("applications", restored.url("applications"), own_broker.bootstrap,
                                    OCHOTNICY_TOPIC_PARTITIONS="2"), configure_logging=False)
    assert store(again) == kept, "the restored store should end exactly at the moment: every event before it, none after"
    again.runtime.engine.dispose()

    out = io.StringIO()
    assert recovery.check("applications", environ, out) == recovery.NEEDED, out.getvalue()
    assert "z tematu do bazy: 2 zdarzenia (InstitutionRegistered 2)" in out.getvalue()
    assert recovery.recover("applications", environ, out) == 0, out.getvalue()
    recovered = SPEC.bootstrap(again.runtime.settings, configure_logging=False)
    assert {aggregate for aggregate, _, _ in store(recovered).values()} >= set(lost)
    recovered.runtime.engine.dispose()
