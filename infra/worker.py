"""The worker process of a service: relay and consumers in threads, stopped cleanly by SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Mapping

from infra import collector

log = logging.getLogger(__name__)
Loop = Callable[[threading.Event], None]


def _supervised(name: str, loop: Loop, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            loop(stop)
        except Exception:  # noqa: BLE001 - a crashed loop is logged and restarted, never silently lost
            log.exception("%s crashed; restarting in 1 s", name)
            stop.wait(1.0)


def run(loops: Mapping[str, Loop] | Callable[[], Mapping[str, Loop]], stop: threading.Event | None = None) -> None:
    """Runs every loop until SIGTERM or SIGINT, then lets each finish its batch.

    `loops` may be a function building them: it is called after the signal handlers are in place, so a
    SIGTERM that arrives while the service is still connecting or migrating also ends in a clean exit.
    """
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    if callable(loops):
        loops = loops()
    collector.freeze_start_up()
    threads = [
        threading.Thread(target=_supervised, args=(name, loop, stop), name=name, daemon=True)
        for name, loop in loops.items()
    ]
    for thread in threads:
        thread.start()
    log.info("worker started", extra={"loops": list(loops)})
    while not stop.is_set():
        stop.wait(1.0)
    for thread in threads:
        thread.join(timeout=15)
    log.info("worker stopped")
