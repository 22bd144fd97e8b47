"""Scenario 6: a consumer rebalance storm — worker processes join and leave the groups during the load."""

from __future__ import annotations

import signal

import pytest

from tests.support.nothing_lost import check

CONSUMING = ("funding", "volunteers", "reporting")


@pytest.mark.parametrize("changes", [4, pytest.param(14, marks=[pytest.mark.faults, pytest.mark.timeout(900)])])
def test_consumers_joining_and_leaving_during_load_lose_nothing(harness, changes):
    stack = harness.stack
    extra: list[str] = []
    faults = 0
    with harness.load() as load:
        load.wait_for(30)
        for n in range(changes):
            if n % 2 == 0:
                for service in CONSUMING:
                    name = f"{service}-worker-extra-{n}"
                    stack.add_worker(service, name)
                    extra.append(name)
            else:
                # Leave: half of the extras, alternately stopped cleanly and killed.
                leaving, extra = extra[: len(extra) // 2 + 1], extra[len(extra) // 2 + 1:]
                for i, name in enumerate(leaving):
                    if i % 2:
                        stack.kill(name, signal.SIGKILL)
                    else:
                        stack.stop_process(name)
            faults += 1
            load.wait_for(35)
        for name in extra:
            stack.stop_process(name)
    assert not load.failures, load.failures[:5]
    check(stack, load.commands, scenario=f"rebalance storm ({changes} membership changes)", faults=faults)
