"""Scenario 3: the relay dies after the broker acknowledged a batch and before it recorded the send."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from contracts import topics
from infra.eventstore.tables import outbox
from tests.support import faulty_relay
from tests.support.nothing_lost import check
from tests.support.settling import read_topics

OWNERS = ("applications", "funding", "volunteers")


def sent_but_not_recorded(stack, service: str, name: str) -> list[str]:
    """The event ids the faulty relay sent before dying, checked to be still unpublished in the outbox."""
    ids = faulty_relay.sent_not_recorded((stack.logs / f"{name}.log").read_text())
    engine = create_engine(stack.database_urls[service])
    with engine.connect() as connection:
        rows = connection.execute(select(outbox.c.event_id, outbox.c.published_at).where(outbox.c.id.in_(ids))).all()
    engine.dispose()
    # The broker has them; the outbox does not know: exactly the moment we meant to hit.
    assert len(rows) == len(ids) and all(r.published_at is None for r in rows)
    return [r.event_id for r in rows]


@pytest.mark.parametrize("rounds", [1, pytest.param(4, marks=[pytest.mark.faults, pytest.mark.timeout(900)])])
def test_a_relay_killed_between_sending_and_recording_sends_again_and_nothing_is_lost(harness, rounds):
    stack = harness.stack
    sent: dict[str, list[str]] = {service: [] for service in OWNERS}
    crashes = 0
    with harness.load() as load:
        load.wait_for(30)
        for n in range(rounds):
            for service in OWNERS:
                stack.stop_process(f"{service}-worker")
            # Named for this variant too: the stack (and its log files) outlives one variant, and a log reused
            # would report the ids an earlier variant's relay sent.
            faulty = {s: stack.start_module(f"{s}-faulty-relay-{rounds}-{n}", "tests.support.faulty_relay", s)
                      for s in OWNERS}
            for service, process in faulty.items():
                assert process.wait(timeout=180) == faulty_relay.EXIT
                crashes += 1
                sent[service] += sent_but_not_recorded(stack, service, f"{service}-faulty-relay-{rounds}-{n}")
                stack.start_process(service, "worker")
            load.wait_for(30)
    assert not load.failures, load.failures[:5]
    check(stack, load.commands, scenario=f"relay killed between send and record ×{crashes}", faults=crashes)
    expected = {topics.BY_SERVICE[s]: set(ids) for s, ids in sent.items()}
    seen = read_topics(stack.bootstrap, expected)
    # Sent twice (by the relay that died and by its successor), applied once (the checker's replay and counts).
    assert {t: {i for i in ids if seen[t][i] < 2} for t, ids in expected.items()} == {t: set() for t in expected}
