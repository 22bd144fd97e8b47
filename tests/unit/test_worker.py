"""The worker process's loop runner: clean stops, even while the service is still starting."""

from __future__ import annotations

import gc
import os
import signal
import threading

import pytest

from infra import config, worker
from ochotnicy import serve


@pytest.fixture
def own_signal_handlers():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_a_sigterm_during_start_up_ends_the_worker_cleanly(own_signal_handlers):
    ran = []

    def build():
        os.kill(os.getpid(), signal.SIGTERM)  # arrives while the service is still connecting
        return {"loop": lambda stop: ran.append(stop.is_set())}

    worker.run(build)  # returns instead of the process dying of the signal
    assert ran in ([], [True])  # no loop ever ran as if it had not been told to stop


def test_a_crashed_loop_is_restarted_until_the_stop(own_signal_handlers):
    stop = threading.Event()
    calls = []

    def flaky(stop_: threading.Event) -> None:
        calls.append(1)
        if len(calls) < 2:
            raise RuntimeError("boom")
        stop.set()

    worker.run({"flaky": flaky}, stop)
    assert len(calls) == 2


def test_what_start_up_built_is_kept_out_of_later_collections(own_signal_handlers):
    stop = threading.Event()
    frozen_before = gc.get_freeze_count()
    built = []

    def build():
        built.extend([i] for i in range(1000))  # lists: always tracked by the collector
        return {"loop": lambda stop_: stop_.wait(0.1) or stop.set()}

    try:
        worker.run(build, stop)
        assert gc.get_freeze_count() >= frozen_before + len(built)
    finally:
        gc.unfreeze()


def test_every_gunicorn_worker_freezes_its_built_app():
    hook = serve.options(config.load("applications"), "applications")["post_worker_init"]
    try:
        before = gc.get_freeze_count()
        kept = [[i] for i in range(1000)]
        hook(None)
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()
