"""Scenario 1: the broker is killed mid-load and comes back empty (10 s; 60 s in the long run)."""

from __future__ import annotations

import pytest

from tests.support.nothing_lost import check

HEALED = "the broker lost topics it had acknowledged writes to"


def heals(stack) -> int:
    """How many times the relays have found their topics lost and published the outbox again."""
    return sum(text.count(HEALED) for name, text in stack.log_text().items() if name.endswith("-worker.log"))


@pytest.mark.parametrize("down_for", [10, pytest.param(60, marks=[pytest.mark.faults, pytest.mark.timeout(900)])],
                         ids=lambda s: f"{s}s")
def test_a_broker_restarted_empty_mid_load_loses_nothing(harness, down_for):
    stack = harness.stack
    healed_before = heals(stack)
    with harness.load() as load:
        load.wait_for(60)
        stack.broker.restart(down_for)  # every topic is gone with the old process
        load.wait_for(60)
    assert not load.failures, load.failures[:5]
    check(stack, load.commands, scenario=f"broker restarted empty after {down_for} s", faults=1)
    assert heals(stack) >= healed_before + 3  # each owner's relay noticed and published its whole outbox again
