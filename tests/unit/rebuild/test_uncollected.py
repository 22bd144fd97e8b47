"""A rebuild's reading pauses the cyclic garbage collector and gives it back as it was, whatever happens."""

from __future__ import annotations

import gc

import pytest

from infra.rebuild.fold import uncollected


def test_the_collector_is_paused_while_reading_and_restored_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), uncollected():
        assert not gc.isenabled() and gc.get_freeze_count() > 0  # what was there before is set aside, not walked
        raise RuntimeError("the broker went away")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_paused_before_stays_paused():
    gc.disable()
    try:
        with uncollected():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
