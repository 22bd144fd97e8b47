"""Scenario 2: worker processes SIGKILLed mid-batch, again and again, while commands keep coming."""

from __future__ import annotations

import signal

import pytest

from tests.support.faults import processed, wait_for_progress
from tests.support.nothing_lost import check
from tests.support.settling import consumers

# The worker to kill, and the consumer whose progress shows it is busy (the applications worker only relays).
VICTIMS = [(service, name) for service, name, _ in consumers(["reporting", "funding", "volunteers"])] + [
    ("applications", None)]


@pytest.mark.parametrize("kills", [4, pytest.param(16, marks=[pytest.mark.faults, pytest.mark.timeout(900)])])
def test_workers_sigkilled_mid_batch_lose_nothing_and_apply_nothing_twice(harness, kills):
    stack = harness.stack
    with harness.load() as load:
        load.wait_for(30)
        for n in range(kills):
            service, consumer = VICTIMS[n % len(VICTIMS)]
            if consumer is not None:
                url = stack.database_urls[service]
                wait_for_progress(url, consumer, processed(url, consumer))  # busy applying a batch right now
            else:
                load.wait_for(20)
            assert stack.kill(f"{service}-worker") == -signal.SIGKILL
            stack.start_process(service, "worker")
            load.wait_for(25)
    assert not load.failures, load.failures[:5]
    check(stack, load.commands, scenario=f"{kills} workers SIGKILLed mid-batch", faults=kills)
