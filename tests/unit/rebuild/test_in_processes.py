"""A rebuild's processes: each answer taken in order of the processes, a failure or a silent death raised."""

from __future__ import annotations

import os
import time

import pytest

from infra.rebuild.parallel import in_processes


def _counts(k: int, delay: float, n: int, done, results) -> None:
    time.sleep(delay)
    with done.get_lock():
        done.value += k
    results.put((n, k * 10, None))


def _fails(n: int, done, results) -> None:
    results.put((n, None, "Traceback: the broker went away"))


def _dies(n: int, done, results) -> None:
    os._exit(3)


def test_the_answers_come_back_in_the_processes_order_whatever_order_they_finish_in_and_progress_adds_up():
    seen: list[int] = []

    answers = in_processes(_counts, [(1, 0.3), (2, 0.0), (3, 0.1)], seen.append)

    assert [answer[:2] for answer in answers] == [(0, 10), (1, 20), (2, 30)]
    assert sum(seen) == 6


def test_a_process_that_reports_a_failure_raises_it():
    with pytest.raises(RuntimeError, match="the broker went away"):
        in_processes(_fails, [()], lambda n: None)


def test_a_process_that_dies_without_an_answer_raises_at_once_rather_than_waiting_for_ever():
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="died without an answer"):
        in_processes(_dies, [()], lambda n: None)
    assert time.monotonic() - started < 5
