"""Scenario 4: PostgreSQL connections cut (backends terminated) again and again mid-load."""

from __future__ import annotations

import random
import time

import pytest
import requests

from tests.support.faults import cut_connections
from tests.support.nothing_lost import check


@pytest.mark.parametrize("seconds", [8, pytest.param(45, marks=[pytest.mark.faults, pytest.mark.timeout(900)])])
def test_cut_database_connections_give_503s_at_worst_no_partial_writes_and_recover_without_restart(harness, seconds):
    stack = harness.stack
    before = stack.pids()
    rounds = cut = 0
    rng = random.Random(seconds)
    with harness.load() as load:
        load.wait_for(60)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            cut += cut_connections(stack.database_urls.values())
            rounds += 1
            time.sleep(rng.uniform(0.1, 0.6))
        load.wait_for(60)
    assert not load.failures, load.failures[:5]
    assert cut > 0
    assert stack.pids() == before, "a process died or was restarted"
    answers = [s for c in load.commands for s in c.statuses]
    figures = check(stack, load.commands, scenario=f"database connections cut ×{rounds} ({cut} backends)",
                    faults=rounds)
    assert figures.ok > 0
    # 503 is the only server answer allowed (0: a keep-alive connection the server closed; retried like a 503).
    assert set(answers) <= {0, 503} | set(range(200, 500)), sorted(set(answers))
    for service in stack.services:
        assert requests.get(f"{stack.url(service)}/healthz", timeout=5).status_code == 200
