"""The load's shared world: a pick reads its items, and tests them, under the lock the other clients write under."""

import random

from tests.support.world import World


def test_a_pick_reads_and_filters_under_the_lock():
    world = World("m")
    world.partnerships = {"a": 1, "b": 2, "c": 3}
    seen_locked = []

    def odd(value):
        seen_locked.append(world.lock.locked())
        return value % 2 == 1

    picked = {world.pick(random.Random(n), world.partnerships.values(), odd) for n in range(40)}
    assert picked == {1, 3} and seen_locked and all(seen_locked)
    assert world.pick(random.Random(0), world.partnerships.values(), lambda v: v > 5) is None
