"""A load of realistic commands from concurrent clients, each one recorded for the "nothing lost" checker.

Every client is a thread with its own `requests.Session` and token. It sends a mix of commands to all
services over HTTP (editions, institutions and corrections of the register, partnerships, MAL verifications,
withdrawals before and after a grant, enrolments and their course — trainings, trainers' visits, programmes,
withdrawals — grants and rejections once cases are eligible, revocations, final reports submitted, returned and
accepted, volunteers, memberships, departures, erasures) and a share of deliberately bad requests (4xx), the
course's among them (`course.py`). Each goes through `tests.support.recording`: a fresh `Idempotency-Key`
and `X-Correlation-ID`, the same ones again when an outage makes it retry, and a record for the checker.
"""

from __future__ import annotations

import random
import threading
import time

from tests.support.driver import Driver
from tests.support.recording import Command, Recorder, session_for
from tests.support.world import World


class Load:
    """`with Load(urls, world, clients=6) as load: …` — clients send commands until the block ends."""

    def __init__(self, recorder: Recorder, world: World, *, clients: int = 6, think: float = 0.01,
                 seed: int | None = None, subject: str = "load") -> None:
        self.recorder = recorder
        self.world = world
        self.driver = Driver(recorder, world)
        self._clients = clients
        self._think = think
        self._seed = seed if seed is not None else random.randrange(1 << 30)
        self._subject = subject
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._first = 0
        self.failures: list[str] = []

    @property
    def commands(self) -> list[Command]:
        return self.recorder.commands[self._first:]

    def __enter__(self) -> Load:
        self._first = len(self.recorder.commands)
        for n in range(self._clients):
            thread = threading.Thread(target=self._client, args=(n,), name=f"load-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _client(self, n: int) -> None:
        rng = random.Random(self._seed * 1000 + n)
        session = session_for(f"{self._subject}-{n}")
        weights = [w for w, _ in self.driver.actions]
        actions = [a for _, a in self.driver.actions]
        while not self._stop.is_set():
            action = rng.choices(actions, weights)[0]
            try:
                action(session, rng)
            except Exception as exc:  # noqa: BLE001 - a driver bug must show up in the test, not kill the load
                self.failures.append(f"{action.__name__}: {exc!r}")
            if self._think:
                self._stop.wait(rng.uniform(0, 2 * self._think))

    def wait_for(self, commands: int, timeout: float = 120.0) -> None:
        """Lets the load run until it has sent `commands` more commands."""
        target = len(self.commands) + commands
        deadline = time.monotonic() + timeout
        while len(self.commands) < target and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.recorder.retry_for + self.recorder.timeout + 10)

    def __exit__(self, *exc) -> None:
        self.stop()

