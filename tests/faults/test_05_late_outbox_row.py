"""Scenario 5: a transaction holds an outbox row (an early id) open for 10 s while others commit after it."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from contracts import topics
from infra import context
from infra.eventstore.tables import events, outbox
from infra.uow import SqlUnitOfWork
from services.applications import commands, handlers
from services.applications.spec import SPEC
from tests.support.nothing_lost import check
from tests.support.settling import read_topics
from tests.support.stack import settings
from tests.support.waiting import wait_until


class Late:
    """The real handler of a command whose COMMIT waits until released (its rows are inserted, ids taken)."""

    def __init__(self, service, name: str) -> None:
        self.inserted, self.release, self.done = threading.Event(), threading.Event(), threading.Event()
        late = self

        class HeldSession(Session):
            def commit(self):
                late.outbox_id = self.execute(select(outbox.c.id).where(outbox.c.key == late.command.institution_id)).scalar()
                late.inserted.set()
                late.release.wait(120)
                super().commit()

        runtime = service.runtime
        sessions = sessionmaker(bind=runtime.engine, class_=HeldSession, expire_on_commit=False)
        self.uow = SqlUnitOfWork(sessions, service="applications", registry=runtime.registry, projector=runtime.projector,
                                 facts=runtime.facts)
        self.correlation_id = str(uuid.uuid4())
        self.command = commands.RegisterInstitution(str(uuid.uuid4()), name, "school", "Ursus", False)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with context.acting("late-writer", self.correlation_id):
            handlers.register_institution(self.command, self.uow)
        self.done.set()


@pytest.mark.parametrize("held, writers", [(10, 1), pytest.param(30, 3, marks=[pytest.mark.faults, pytest.mark.timeout(900)])])
def test_an_outbox_row_committed_late_is_still_published(harness, held, writers):
    stack = harness.stack
    service = SPEC.bootstrap(settings("applications", stack.database_urls["applications"], stack.bootstrap),
                        upgrade=False, configure_logging=False)
    late = [Late(service, f"Szkoła Podstawowa {uuid.uuid4().hex[:8]} ({harness.world.marker})") for _ in range(writers)]
    with harness.load() as load:
        load.wait_for(20)
        started = time.monotonic()
        for writer in late:
            writer.thread.start()
            assert writer.inserted.wait(30)
        first = min(w.outbox_id for w in late)

        def later_rows_published():
            with service.runtime.engine.connect() as connection:
                return connection.execute(select(outbox.c.id).where(
                    outbox.c.id > max(w.outbox_id for w in late), outbox.c.published_at.is_not(None)).limit(20)).all()

        # Others commit after the held rows and are published meanwhile: the relay has moved past `first`.
        wait_until(lambda: len(later_rows_published()) >= 20, timeout=held, what="later rows published")
        time.sleep(max(0.0, held - (time.monotonic() - started)))
        for writer in late:
            writer.release.set()
            assert writer.done.wait(30)
        load.wait_for(30)
    assert not load.failures, load.failures[:5]
    check(stack, load.commands, scenario=f"{writers} outbox row(s) held open {held} s", faults=writers)
    with service.runtime.engine.connect() as connection:
        late_events = connection.execute(select(events.c.event_id).where(
            events.c.aggregate_id.in_([w.command.institution_id for w in late]))).scalars().all()
        assert connection.execute(select(outbox.c.published_at).where(outbox.c.id == first)).scalar() is not None
    service.runtime.engine.dispose()
    assert len(late_events) == writers
    seen = read_topics(stack.bootstrap, {topics.APPLICATIONS: set(late_events)})
    assert set(late_events) <= seen[topics.APPLICATIONS].keys()
